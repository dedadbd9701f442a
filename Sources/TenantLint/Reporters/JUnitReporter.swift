/// `--format junit`: JUnit XML for CI test dashboards (GitLab, Jenkins,
/// Azure DevOps, test-reporter actions).
///
/// - One `<testsuite>` per file (sorted by path), named after the file,
///   including files without findings, so the dashboard shows what was checked.
/// - One `<testcase>` per finding, named `CODE path YAML-path`
///   (`TL401 manifests/contoso.yaml Tenant/contoso:spec.teams.teams[0].guests`;
///   `CODE path` for a finding not on a node), with no line number, so a
///   test keeps its name, and its history in the dashboard, when lines move.
///   A second testcase of the same name in a file gets ` (2)`, and so on,
///   in report order. The classname is the file.
/// - Errors and warnings are `<failure type="CODE" message="…">`, whose text
///   is the gcc-style line of the text format plus `note:` lines for related
///   positions.
/// - Infos are advice, not failures: a passing testcase whose `<system-out>`
///   holds the same text, so dashboards stay green for infos but still list them.
/// - Suppressed findings (inline comment or baseline) are `<skipped>` testcases.
/// - A file with none of these has one passing testcase named after the
///   file's path (never after the order of the run).
/// - Paths and messages are shown with control, bidirectional-override and
///   line-separator characters replaced (`Display`).
/// - `errors` is always 0: tenantlint reports problems in the input as
///   findings; a run that cannot finish writes no report.
public struct JUnitReporter: Reporter {
    public init() {}

    enum Outcome {
        case failure(Finding)
        case info(Finding)
        case skipped(Finding, Suppression)
        case passed
    }

    struct TestCase {
        var name: String
        var outcome: Outcome
    }

    public func write(_ result: LintResult, context: ReportContext, to writer: ReportWriter) {
        var byFile: [String: [TestCase]] = [:]
        var used: [String: Int] = [:]
        func uniqueName(_ base: String) -> String {
            let n = (used[base] ?? 0) + 1
            used[base] = n
            return n == 1 ? base : "\(base) (\(n))"
        }
        func caseName(_ f: Finding) -> String {
            let file = Display.path(f.location.file)
            return f.path.isEmpty ? "\(f.code) \(file)" : "\(f.code) \(file) \(Display.line(f.path))"
        }
        for entry in result.allFindings {
            let f = entry.finding
            let outcome: Outcome
            if let s = entry.suppression {
                outcome = .skipped(f, s)
            } else {
                outcome = f.severity == .info ? .info(f) : .failure(f)
            }
            let name = uniqueName(caseName(f))
            byFile[f.location.file, default: []].append(TestCase(name: name, outcome: outcome))
        }
        let files = result.reportedFiles
        for file in files where byFile[file] == nil {
            byFile[file] = [TestCase(name: Display.path(file), outcome: .passed)]
        }

        func counts(_ cases: [TestCase]) -> (tests: Int, failures: Int, skipped: Int) {
            var failures = 0, skipped = 0
            for c in cases {
                switch c.outcome {
                case .failure: failures += 1
                case .skipped: skipped += 1
                case .info, .passed: break
                }
            }
            return (cases.count, failures, skipped)
        }
        func countAttributes(_ c: (tests: Int, failures: Int, skipped: Int)) -> String {
            "tests=\"\(c.tests)\" failures=\"\(c.failures)\" errors=\"0\" skipped=\"\(c.skipped)\""
        }

        let all = files.flatMap { byFile[$0] ?? [] }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"\(XML.attribute(context.toolName))\" \(countAttributes(counts(all)))>\n"
        for file in files {
            let cases = byFile[file] ?? []
            let classname = XML.attribute(Display.path(file))
            out += "  <testsuite name=\"\(classname)\" \(countAttributes(counts(cases)))>\n"
            for c in cases {
                let open = "    <testcase name=\"\(XML.attribute(c.name))\" classname=\"\(classname)\""
                switch c.outcome {
                case .passed:
                    out += open + "/>\n"
                case .failure(let f):
                    out += open + ">\n"
                    out += "      <failure message=\"\(XML.attribute(Display.multiline(f.message)))\" type=\"\(XML.attribute(f.code))\">"
                    out += XML.text(Self.details(f)) + "</failure>\n"
                    out += "    </testcase>\n"
                case .info(let f):
                    out += open + ">\n"
                    out += "      <system-out>" + XML.text(Self.details(f)) + "</system-out>\n"
                    out += "    </testcase>\n"
                case .skipped(let f, let s):
                    out += open + ">\n"
                    out += "      <skipped message=\"\(XML.attribute(Self.skipMessage(s)))\"/>\n"
                    out += "      <system-out>" + XML.text(Self.details(f)) + "</system-out>\n"
                    out += "    </testcase>\n"
                }
            }
            out += "  </testsuite>\n"
            writer.write(out)
            out = ""
        }
        out += "</testsuites>\n"
        writer.write(out)
    }

    /// `path:L:C: severity: message [CODE name]` and a `note:` line per
    /// related position, each ending in a newline.
    static func details(_ f: Finding) -> String {
        let tag = f.name.isEmpty ? f.code : "\(f.code) \(f.name)"
        var s = "\(TextReporter.locationText(f.location)): \(f.severity.rawValue): \(TextReporter.oneLine(f.message)) [\(tag)]\n"
        for r in f.related {
            s += "\(TextReporter.locationText(r.location)): note: \(TextReporter.oneLine(r.message))\n"
        }
        return s
    }

    /// `suppressed: <justification>`, or how it was suppressed when no reason was given.
    static func skipMessage(_ s: Suppression) -> String {
        if !s.justification.isEmpty { return "suppressed: \(s.justification)" }
        switch s.kind {
        case .inSource: return "suppressed by a tenantlint comment"
        case .baseline: return "suppressed by the baseline"
        }
    }
}
