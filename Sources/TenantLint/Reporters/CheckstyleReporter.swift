/// `--format checkstyle`: Checkstyle XML (version 4.3), read by Jenkins
/// Warnings NG, reviewdog, SonarQube importers and others.
///
/// - One `<file>` per file, sorted by path, including files without findings.
/// - One `<error>` per finding with `line` and `column` (always at least 1),
///   `severity` `error`, `warning` or `info`, the message, and
///   `source="tenantlint.CODE"`. Checkstyle has no related positions; they
///   are not written.
/// - Suppressed findings are left out.
/// - Messages have control and bidirectional-override characters replaced
///   (`Display.multiline`); the file name is written as it is, since tools
///   match it against the repository.
public struct CheckstyleReporter: Reporter {
    public static let version = "4.3"

    public init() {}

    public func write(_ result: LintResult, context: ReportContext, to writer: ReportWriter) {
        var byFile: [String: [Finding]] = [:]
        for f in result.findings { byFile[f.location.file, default: []].append(f) }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<checkstyle version=\"\(Self.version)\">\n"
        for file in result.reportedFiles {
            let findings = byFile[file] ?? []
            if findings.isEmpty {
                out += "  <file name=\"\(XML.attribute(file))\"/>\n"
                writer.write(out)
                out = ""
                continue
            }
            out += "  <file name=\"\(XML.attribute(file))\">\n"
            for f in findings {
                let start = f.location.range.start
                out += "    <error line=\"\(start.reportLine)\" column=\"\(start.reportColumn)\""
                out += " severity=\"\(f.severity.rawValue)\" message=\"\(XML.attribute(Display.multiline(f.message)))\""
                out += " source=\"\(XML.attribute("\(context.toolName).\(f.code)"))\"/>\n"
            }
            out += "  </file>\n"
            writer.write(out)
            out = ""
        }
        out += "</checkstyle>\n"
        writer.write(out)
    }
}
