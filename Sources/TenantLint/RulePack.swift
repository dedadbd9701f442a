import YAMLSource

/// The schema and rules a run uses: the built-in pack compiled into the
/// binary, plus any user rule directories.
public final class RulePack: @unchecked Sendable {
    public static let schemaPath = "rules/manifest-v1.schema.json"

    public let schema: JSONSchema
    public let validator: SchemaValidator
    public let header: DocumentHeader
    public let catalog: RuleCatalog
    /// Codes of the built-in rules (user rules may not reuse them).
    public let builtinCodes: Set<String>

    init(schema: JSONSchema, catalog: RuleCatalog, builtinCodes: Set<String>) {
        self.schema = schema
        self.validator = SchemaValidator(schema: schema)
        self.header = DocumentHeader(schema: schema)
        self.catalog = catalog
        self.builtinCodes = builtinCodes
    }

    /// The built-in pack. A failure here is a bug in rules/, caught by the tests.
    public static func builtin() throws -> RulePack {
        guard let schemaText = BuiltinRulePack.files.first(where: { $0.path == schemaPath })?.text else {
            throw RuleLoadError("the built-in schema is missing", file: schemaPath, position: SourcePosition(line: 1, column: 1, offset: 0))
        }
        let schema: JSONSchema
        do {
            schema = try JSONSchema.load(Source(path: schemaPath, text: schemaText))
        } catch let e as SchemaLoadError {
            throw RuleLoadError(e.message, file: e.location.file, position: e.location.range.start)
        }
        var rules: [RuleFile] = []
        var errors: [RuleLoadError] = []
        for file in BuiltinRulePack.files where file.path.hasSuffix(".yaml") && isRuleFile(file.path) {
            let (rule, errs) = RuleFileLoader.load(Source(path: file.path, text: file.text))
            errors += errs
            if let rule { rules.append(rule) }
        }
        let (catalog, dupes) = RuleCatalog.build(rules)
        errors += dupes
        if let first = errors.first { throw first }
        return RulePack(schema: schema, catalog: catalog, builtinCodes: Set(rules.map(\.code)))
    }

    /// Rule files are named `TLnnn-name.yaml` (or any `CODE-name.yaml`).
    static func isRuleFile(_ path: String) -> Bool {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return name.contains("-") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
    }
}
