/// `--format json`: one object with the tool, every finding and a summary.
/// The shape is a public contract (README, "JSON output"); add fields, never
/// rename or remove them.
public struct JSONReporter: Reporter {
    public static let formatVersion = 1

    public init() {}

    /// Streams: one finding is held at a time (`JSONStream`).
    public func write(_ result: LintResult, context: ReportContext, to out: ReportWriter) {
        func position(_ l: Location) -> [(String, JSONValue)] {
            [("file", .string(l.file)),
             ("line", .int(l.range.start.line)), ("column", .int(l.range.start.column)),
             ("endLine", .int(l.range.end.line)), ("endColumn", .int(l.range.end.column))]
        }
        let findings = result.findings.lazy.map { f -> JSONValue in
            .object(position(f.location) + [
                ("severity", .string(f.severity.rawValue)),
                ("code", .string(f.code)),
                ("name", .string(f.name)),
                ("message", .string(f.message)),
                ("related", .array(f.related.map { r in .object(position(r.location) + [("message", .string(r.message))]) })),
                ("fixes", .array(f.fixes.map { fix in
                    .object([
                        ("title", .string(fix.title)),
                        ("safety", .string(fix.safety.rawValue)),
                        ("edits", .array(fix.edits.map { e in
                            .object(position(e.location) + [
                                ("offset", .int(e.location.range.start.offset)),
                                ("endOffset", .int(e.location.range.end.offset)),
                                ("newText", .string(e.newText)),
                            ])
                        })),
                    ])
                })),
            ])
        }
        let root: JSONStream = .object([
            ("version", .value(.int(Self.formatVersion))),
            ("tool", .value(.object([("name", .string(context.toolName)), ("version", .string(context.toolVersion))]))),
            ("findings", .items(findings)),
            ("summary", .value(.object([
                ("files", .int(result.sources.count)),
                ("documents", .int(result.documentCount)),
                ("errors", .int(result.count(.error))),
                ("warnings", .int(result.count(.warning))),
                ("infos", .int(result.count(.info))),
                ("suppressed", .int(result.suppressed.count)),
                ("skipped", .int(result.skippedDocuments)),
            ]))),
        ])
        root.write(to: out)
    }
}
