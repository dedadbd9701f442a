import TenantLint
import YAMLSource

/// Findings as LSP `Diagnostic`s.
enum Diagnostics {
    static let source = "tenantlint"
    /// TL007: a deprecated field (tagged Deprecated, shown struck through).
    static let deprecatedCode = StructuralCheck.deprecatedField.code

    static func severity(_ s: Severity) -> Int {
        switch s {
        case .error: return 1
        case .warning: return 2
        case .info: return 3
        }
    }

    /// A rule's documentation: its entry in the rule reference for a
    /// built-in rule, else the first of its references (nil when it has none).
    static func documentation(_ code: String, pack: RulePack) -> String? {
        guard let rule = pack.catalog.rule(code) else { return nil }
        if pack.builtinCodes.contains(rule.code) {
            return SARIFReporter.informationURI + "/blob/main/docs/rules.md#" + rule.code.lowercased()
        }
        return rule.references.first
    }

    static func diagnostic(_ f: Finding, pack: RulePack, converter: (String) -> PositionConverter?) -> JSON {
        var d: [String: JSON] = [
            "range": converter(f.location.file)?.range(f.location.range) ?? fallbackRange(f.location.range),
            "severity": .int(severity(f.severity)),
            "code": .string(f.code),
            "source": .string(source),
            "message": .string(f.message),
        ]
        if let href = documentation(f.code, pack: pack) { d["codeDescription"] = ["href": .string(href)] }
        if !f.related.isEmpty {
            d["relatedInformation"] = .array(f.related.map { r in
                [
                    "location": [
                        "uri": .string(FileURI.uri(r.location.file)),
                        "range": converter(r.location.file)?.range(r.location.range) ?? fallbackRange(r.location.range),
                    ],
                    "message": .string(r.message),
                ]
            })
        }
        if f.code == deprecatedCode { d["tags"] = [2] }
        var data: [String: JSON] = ["fingerprint": .string(f.fingerprint)]
        if !f.name.isEmpty { data["name"] = .string(f.name) }
        d["data"] = .object(data)
        return .object(d)
    }

    /// A problem in a configuration or rule file (not a rule's finding).
    static func plain(position: SourcePosition, message: String, code: String, converter: PositionConverter?) -> JSON {
        let range: JSON = converter.map { c in
            let p = c.position(ofByte: position.offset)
            return ["start": p.json, "end": p.json]
        } ?? fallbackRange(SourceRange(at: position))
        return ["range": range, "severity": 1, "code": .string(code), "source": .string(source), "message": .string(message)]
    }

    /// Columns as characters, when the file's text is not at hand.
    static func fallbackRange(_ r: SourceRange) -> JSON {
        [
            "start": LSPPosition(line: max(0, r.start.line - 1), character: max(0, r.start.column - 1)).json,
            "end": LSPPosition(line: max(0, r.end.line - 1), character: max(0, r.end.column - 1)).json,
        ]
    }
}
