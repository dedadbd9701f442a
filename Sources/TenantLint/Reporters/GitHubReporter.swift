/// `--format github`: GitHub Actions workflow commands, which GitHub shows as
/// annotations on the run and on the pull request's changed lines:
///
///     ::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=CODE name::message
///
/// - `error`, `warning` and `notice` for the three severities.
/// - `col` and `endColumn` are written only when the range is on one line:
///   GitHub accepts columns only for single-line annotations. `endColumn` is
///   just past the range, as in the JSON format.
/// - The message is followed by a `path:L:C: note: …` line per related position.
/// - Escaping is that of `@actions/core`: in the message `%` `\r` `\n` become
///   `%25` `%0D` `%0A`; in property values also `:` `,` become `%3A` `%2C`.
/// - GitHub shows at most 10 annotations of each kind per step and 50 per
///   job. So that those it shows are the most useful, errors come first,
///   then warnings, then notices, and within a kind the files take turns:
///   each file's first finding before any file's second, so one noisy file
///   cannot hide the others. When a kind has more than 10, all are still
///   printed (they appear in the log), followed by a plain line that counts
///   them and says where the rest are: the log, the job summary
///   (`$GITHUB_STEP_SUMMARY`, written in GitHub Actions) and a SARIF report
///   for code scanning.
/// - Suppressed findings are not annotated.
/// - File names, titles and messages have control, bidirectional-override
///   and line-separator characters replaced (`Display.multiline`), so
///   nothing from a manifest reaches the log raw.
///
/// `stepSummary` is a Markdown report for `$GITHUB_STEP_SUMMARY`.
public struct GitHubReporter: Reporter {
    /// Annotations of one kind GitHub shows per step.
    public static let annotationLimit = 10
    /// Annotations GitHub shows per job.
    public static let jobAnnotationLimit = 50
    /// Table rows `stepSummary` writes; the step summary must stay under 1 MiB.
    public static let stepSummaryRowLimit = 1000

    public init() {}

    public func write(_ result: LintResult, context: ReportContext, to writer: ReportWriter) {
        for f in Self.annotationOrder(result.findings) { writer.write(Self.command(f) + "\n") }
        let e = result.count(.error), w = result.count(.warning), i = result.count(.info)
        if e > Self.annotationLimit || w > Self.annotationLimit || i > Self.annotationLimit {
            var out = "\(context.toolName): \(Self.plural(e, "error")), \(Self.plural(w, "warning")), \(Self.plural(i, "notice")); "
            out += "GitHub shows only the first \(Self.annotationLimit) annotations of each kind per step (\(Self.jobAnnotationLimit) per job). "
            out += "All are listed above, and in the job summary; for every one as a code scanning alert, "
            out += "upload a SARIF report (--format sarif=tenantlint.sarif)\n"
            writer.write(out)
        }
    }

    /// The order annotations are written in: errors, warnings, notices; within
    /// a severity, round by round over the files (in path order), each
    /// file's next finding in report order.
    public static func annotationOrder(_ findings: [Finding]) -> [Finding] {
        var out: [Finding] = []
        out.reserveCapacity(findings.count)
        for severity in [Severity.error, .warning, .info] {
            var files: [String] = []
            var byFile: [String: [Finding]] = [:]
            for f in findings where f.severity == severity {
                if byFile[f.location.file] == nil { files.append(f.location.file) }
                byFile[f.location.file, default: []].append(f)
            }
            files.sort()
            var round = 0
            var remaining = files.count
            while remaining > 0 {
                remaining = 0
                for file in files {
                    let list = byFile[file]!
                    if round < list.count { out.append(list[round]) }
                    if round + 1 < list.count { remaining += 1 }
                }
                round += 1
            }
        }
        return out
    }

    /// The workflow command name for a severity.
    public static func command(for s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .info: return "notice"
        }
    }

    /// One `::error …::…` line (without the newline).
    public static func command(_ f: Finding) -> String {
        let r = f.location.range
        let startLine = r.start.reportLine
        let endLine = max(startLine, r.end.line)
        var props: [(String, String)] = [("file", Display.multiline(f.location.file)), ("line", String(startLine))]
        if endLine == startLine {
            props.append(("col", String(r.start.reportColumn)))
            props.append(("endLine", String(endLine)))
            props.append(("endColumn", String(max(r.start.reportColumn, r.end.column))))
        } else {
            props.append(("endLine", String(endLine)))
        }
        props.append(("title", f.name.isEmpty ? f.code : "\(f.code) \(f.name)"))
        var message = Display.multiline(f.message)
        for rel in f.related {
            message += "\n\(TextReporter.locationText(rel.location)): note: \(Display.multiline(rel.message))"
        }
        let properties = props.map { "\($0.0)=\(escapeProperty($0.1))" }.joined(separator: ",")
        return "::\(command(for: f.severity)) \(properties)::\(escapeData(message))"
    }

    /// `@actions/core` `escapeData`: `%` `\r` `\n`.
    public static func escapeData(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `@actions/core` `escapeProperty`: `escapeData` plus `:` and `,`.
    public static func escapeProperty(_ s: String) -> String {
        var out = ""
        for c in escapeData(s).unicodeScalars {
            switch c {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// A Markdown report of the findings for `$GITHUB_STEP_SUMMARY`: a heading,
    /// the counts, and a table of severity, code, rule, position and message
    /// (at most `stepSummaryRowLimit` rows, then a line with how many more).
    public static func stepSummary(_ result: LintResult) -> String {
        var out = "## tenantlint\n\n"
        let counts = TextReporter.summary(result)  // `2 errors, 1 warning in 3 files (1 suppressed)`
        out += counts.prefix(1).uppercased() + counts.dropFirst() + "\n"
        guard !result.findings.isEmpty else { return out }
        out += "\n| Severity | Code | Rule | Location | Message |\n| --- | --- | --- | --- | --- |\n"
        for f in result.findings.prefix(stepSummaryRowLimit) {
            let cells = [f.severity.rawValue, f.code, f.name, TextReporter.locationText(f.location), Display.multiline(f.message)]
            out += "| " + cells.map(markdownCell).joined(separator: " | ") + " |\n"
        }
        if result.findings.count > stepSummaryRowLimit {
            out += "\n…and \(result.findings.count - stepSummaryRowLimit) more, listed in the job log.\n"
        }
        return out
    }

    /// Text for one table cell: `|` escaped, line breaks as `<br>`, and `&`
    /// `<` `>` as entities so the text is shown, not read as HTML.
    public static func markdownCell(_ s: String) -> String {
        var out = ""
        var previousCR = false
        for c in s.unicodeScalars {
            defer { previousCR = c == "\r" }
            switch c {
            case "|": out += "\\|"
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "<br>"
            case "\n": if !previousCR { out += "<br>" }
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
