import YAMLSource

/// `--format sarif`: SARIF 2.1.0, one run, as GitHub code scanning reads it.
///
/// - `tool.driver.rules` lists every rule of the catalog (sorted by code), so
///   a result's `ruleIndex` points into it and alerts show the rule's help:
///   summary, rationale and references (Microsoft's documentation, in
///   `help`); `helpUri` is the rule's page, for a built-in rule its entry in
///   docs/rules.md (`#tl401`), for a user rule its first reference.
///   `properties.tags` are `tenantlint`, the rule file's directory (`teams`,
///   `identity`, …) and the rule's own `tags:`; a rule tagged `security`
///   also has `security-severity` (see `securitySeverity`).
/// - Paths are URI references relative to `%SRCROOT%` (the repository root
///   for code scanning) as given, without a leading `./`; absolute paths
///   become `file://` URIs. Characters outside RFC 3986's path set (and `:`,
///   which would read as a scheme) are percent-encoded as UTF-8.
/// - Columns are Unicode code points (`run.columnKind`), the end just past the
///   range, as SARIF's `endColumn` means.
/// - Suppressed findings are results with `suppressions`: `inSource` for a
///   comment in the manifest, `external` for the baseline.
/// - `partialFingerprints["tenantlint/v1"]` is `Finding.fingerprint`, stable
///   when lines move.
public struct SARIFReporter: Reporter {
    public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
    public static let informationURI = "https://github.com/tenantlint/tenantlint"
    public static let fingerprintKey = "tenantlint/v1"
    public static let sourceRoot = "%SRCROOT%"

    public init() {}

    /// Streams: the results and artifacts are written one at a time (`JSONStream`).
    public func write(_ result: LintResult, context: ReportContext, to out: ReportWriter) {
        let rules = context.catalog.rules
        var ruleIndex: [String: Int] = [:]
        for (i, r) in rules.enumerated() where ruleIndex[r.code] == nil { ruleIndex[r.code] = i }

        let entries = result.allFindings
        var files = Set(result.reportedFiles)
        for e in entries { for r in e.finding.related { files.insert(r.location.file) } }
        let artifactPaths = files.sorted()
        var artifactIndex: [String: Int] = [:]
        for (i, p) in artifactPaths.enumerated() { artifactIndex[p] = i }
        let linted = Set(result.sources.map(\.path))

        func artifactLocation(_ path: String) -> JSONValue {
            let (uri, base) = Self.uri(path)
            var pairs: [(String, JSONValue)] = [("uri", .string(uri))]
            if let base { pairs.append(("uriBaseId", .string(base))) }
            if let i = artifactIndex[path] { pairs.append(("index", .int(i))) }
            return .object(pairs)
        }
        func physicalLocation(_ l: Location) -> JSONValue {
            .object([("artifactLocation", artifactLocation(l.file)), ("region", Self.region(l.range))])
        }

        let artifacts = artifactPaths.lazy.map { path -> JSONValue in
            let (uri, base) = Self.uri(path)
            var location: [(String, JSONValue)] = [("uri", .string(uri))]
            if let base { location.append(("uriBaseId", .string(base))) }
            var pairs: [(String, JSONValue)] = [("location", .object(location))]
            if let source = result.source(for: path) { pairs.append(("length", .int(source.bytes.count))) }
            if linted.contains(path) { pairs.append(("roles", .array([.string("analysisTarget")]))) }
            pairs.append(("sourceLanguage", .string("yaml")))
            return .object(pairs)
        }

        let results = entries.lazy.map { entry -> JSONValue in
            let f = entry.finding
            var pairs: [(String, JSONValue)] = [("ruleId", .string(f.code))]
            if let i = ruleIndex[f.code] { pairs.append(("ruleIndex", .int(i))) }
            pairs.append(("level", .string(Self.level(f.severity))))
            pairs.append(("message", .object([("text", .string(f.message))])))
            pairs.append(("locations", .array([.object([("physicalLocation", physicalLocation(f.location))])])))
            if !f.related.isEmpty {
                pairs.append(("relatedLocations", .array(f.related.enumerated().map { i, r in
                    .object([
                        ("id", .int(i + 1)),
                        ("physicalLocation", physicalLocation(r.location)),
                        ("message", .object([("text", .string(r.message))])),
                    ])
                })))
            }
            pairs.append(("partialFingerprints", .object([(Self.fingerprintKey, .string(f.fingerprint))])))
            if let s = entry.suppression {
                var suppression: [(String, JSONValue)] = [("kind", .string(s.kind == .inSource ? "inSource" : "external"))]
                if !s.justification.isEmpty { suppression.append(("justification", .string(s.justification))) }
                pairs.append(("suppressions", .array([.object(suppression)])))
            }
            return .object(pairs)
        }

        let driver: JSONStream = .object([
            ("name", .value(.string(context.toolName))),
            ("version", .value(.string(context.toolVersion))),
            ("semanticVersion", .value(.string(context.toolVersion))),
            ("informationUri", .value(.string(Self.informationURI))),
            ("rules", .items(rules.lazy.map(Self.descriptor))),
        ])
        let run: JSONStream = .object([
            ("tool", .object([("driver", driver)])),
            ("invocations", .value(.array([.object([("executionSuccessful", .bool(true))])]))),
            ("artifacts", .items(artifacts)),
            ("results", .items(results)),
            ("columnKind", .value(.string("unicodeCodePoints"))),
        ])
        let root: JSONStream = .object([
            ("$schema", .value(.string(Self.schemaURI))),
            ("version", .value(.string("2.1.0"))),
            ("runs", .array([run])),
        ])
        root.write(to: out)
    }

    /// SARIF's level for a severity: `error`, `warning` or `note`.
    public static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "note"
        }
    }

    /// A region with positive positions; the end is never before the start.
    static func region(_ r: SourceRange) -> JSONValue {
        let startLine = r.start.reportLine, startColumn = r.start.reportColumn
        let endLine = max(startLine, r.end.line)
        let endColumn = endLine == startLine ? max(startColumn, r.end.column) : max(1, r.end.column)
        return .object([
            ("startLine", .int(startLine)), ("startColumn", .int(startColumn)),
            ("endLine", .int(endLine)), ("endColumn", .int(endColumn)),
        ])
    }

    /// One `reportingDescriptor` of `tool.driver.rules`.
    static func descriptor(_ rule: RuleFile) -> JSONValue {
        let rationale = rule.rationale.trimmingTrailingNewlines()
        var text = rule.summary
        var markdown = rule.summary
        if !rationale.isEmpty {
            text += "\n\n" + rationale
            markdown += "\n\n" + rationale
        }
        if !rule.references.isEmpty {
            text += "\n\nReferences:\n" + rule.references.map { "- \($0)" }.joined(separator: "\n")
            markdown += "\n\n**References**\n\n" + rule.references.map { "- [\($0)](\($0))" }.joined(separator: "\n")
        }
        var tags = ["tenantlint"]
        if let area = area(of: rule), !tags.contains(area) { tags.append(area) }
        for t in rule.tags where !tags.contains(t) { tags.append(t) }
        var pairs: [(String, JSONValue)] = [
            ("id", .string(rule.code)),
            ("name", .string(rule.name)),
            ("shortDescription", .object([("text", .string(rule.summary))])),
            ("fullDescription", .object([("text", .string(rationale.isEmpty ? rule.summary : rationale))])),
        ]
        if let uri = helpURI(rule) { pairs.append(("helpUri", .string(uri))) }
        var properties: [(String, JSONValue)] = [("tags", .array(tags.map { .string($0) }))]
        if let score = securitySeverity(rule) { properties.append(("security-severity", .string(score))) }
        pairs += [
            ("help", .object([("text", .string(text)), ("markdown", .string(markdown))])),
            ("defaultConfiguration", .object([("level", .string(level(rule.severity)))])),
            ("properties", .object(properties)),
        ]
        return .object(pairs)
    }

    /// The rule's page: for a built-in rule its entry in the rule reference
    /// (docs/rules.md in the repository, `#tl401`), whose references are
    /// also in `help`; for a user rule its first reference, or nil.
    public static func helpURI(_ rule: RuleFile) -> String? {
        if builtinRulePaths.contains(rule.path) {
            return informationURI + "/blob/main/docs/rules.md#" + rule.code.lowercased()
        }
        return rule.references.first
    }

    /// GitHub code scanning's `security-severity` (a CVSS-like score that
    /// ranks alerts critical/high/medium/low) for a rule tagged `security`,
    /// from its default severity: error 8.0 (high), warning 5.5 (medium),
    /// info 2.0 (low). Nil for other rules, which code scanning then ranks
    /// by `level` alone.
    public static func securitySeverity(_ rule: RuleFile) -> String? {
        guard rule.tags.contains("security") else { return nil }
        switch rule.severity {
        case .error: return "8.0"
        case .warning: return "5.5"
        case .info: return "2.0"
        }
    }

    static let builtinRulePaths = Set(RulePack.builtinRuleSources(examples: false).map(\.path))

    /// The directory the rule file is in (`rules/teams/TL401-….yaml` is in
    /// area `teams`), or nil for a file outside any directory.
    static func area(of rule: RuleFile) -> String? {
        let parts = rule.path.split(separator: "/")
        guard parts.count >= 2 else { return nil }
        let dir = String(parts[parts.count - 2])
        return dir == "." || dir == ".." ? nil : dir
    }

    /// The URI of a path as given, and its base: `%SRCROOT%` for a relative path.
    public static func uri(_ path: String) -> (uri: String, base: String?) {
        if path.hasPrefix("/") { return ("file://" + encode(path, keepColon: true), nil) }
        var p = Substring(path)
        while p.hasPrefix("./") {
            p = p.dropFirst(2)
            while p.hasPrefix("/") { p = p.dropFirst() }
        }
        return (encode(String(p), keepColon: false), sourceRoot)
    }

    /// Percent-encodes every byte outside RFC 3986's `pchar` set and `/`.
    static func encode(_ s: String, keepColon: Bool) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            let keep: Bool
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                keep = true
            default:
                keep = "-._~!$&'()*+,;=@/".contains(c) || (keepColon && c == ":")
            }
            if keep {
                out.append(c)
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return out
    }
}
