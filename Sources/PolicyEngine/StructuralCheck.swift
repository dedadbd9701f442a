/// The problems tenantlint finds in Swift rather than in a rule's
/// expressions: YAML, the schema, rule evaluation, suppressions, the
/// baseline, drift. Each case is named after its rule file under
/// `rules/structure/` (the raw value is the rule's `name:`), which holds
/// its severity, summary, rationale and examples (`builtin: true`).
///
/// `code` is the one table of their codes, as ruff's `codes.rs` is of
/// its own; code everywhere else says `StructuralCheck.unknownField.code`, never
/// `"TL003"`. `StructuralCheckTests` checks it against `rules/structure/`:
/// each check has exactly one rule file of its name, with `builtin: true`
/// and its code; each built-in rule file is a check, or is named by an
/// `x-tenantlint-code` of the schema (TL008, found by the schema's data).
public enum StructuralCheck: String, CaseIterable, Sendable {
    case ruleError = "rule-error"
    case yamlSyntax = "yaml-syntax"
    case duplicateKey = "duplicate-key"
    case unknownField = "unknown-field"
    case invalidValue = "invalid-value"
    case missingField = "missing-field"
    case yaml11Boolean = "yaml11-boolean"
    case deprecatedField = "deprecated-field"
    case duplicateName = "duplicate-name"
    case unusedSuppression = "unused-suppression"
    case staleBaselineEntry = "stale-baseline-entry"
    case suppressionWithoutReason = "suppression-without-reason"
    case drift = "drift"

    /// The finding code: the one place each is written.
    public var code: String {
        switch self {
        case .ruleError: return "TL000"
        case .yamlSyntax: return "TL001"
        case .duplicateKey: return "TL002"
        case .unknownField: return "TL003"
        case .invalidValue: return "TL004"
        case .missingField: return "TL005"
        case .yaml11Boolean: return "TL006"
        case .deprecatedField: return "TL007"
        case .duplicateName: return "TL010"
        case .unusedSuppression: return "TL011"
        case .staleBaselineEntry: return "TL012"
        case .suppressionWithoutReason: return "TL013"
        case .drift: return "TL014"
        }
    }

    /// The rule name (`rules/structure/TLnnn-NAME.yaml`).
    public var name: String { rawValue }

    /// The check a finding code belongs to, if it is structural.
    public init?(code: String) {
        guard let check = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = check
    }
}

extension Finding {
    /// A structural finding. Its name and severity come from its rule file
    /// (the catalog fills them in before findings are reported).
    public init(_ check: StructuralCheck, message: String, location: Location, related: [RelatedLocation] = []) {
        self.init(code: check.code, message: message, location: location, related: related)
    }

    /// The structural check that made this finding, if any.
    public var check: StructuralCheck? { StructuralCheck(code: code) }
}
