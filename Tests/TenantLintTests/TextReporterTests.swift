import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// The text reporter on hostile input: very long lines (issue 12.1),
/// control and bidi characters (12.9), and streaming (12.1, 12.18).
@Suite struct TextReporterTests {
    let context = ReportContext(toolVersion: "test", catalog: builtinPack.catalog)

    func snippet(_ text: String, line: Int, column: Int, endColumn: Int) -> String {
        let source = Source(path: "t.yaml", text: text)
        let start = source.lineByteRange(line).lowerBound
        // Columns to byte offsets for these ASCII-or-not test lines.
        let lineText = Array(source.lineText(line).unicodeScalars)
        func offset(_ col: Int) -> Int { start + String(String.UnicodeScalarView(lineText.prefix(col - 1))).utf8.count }
        let range = SourceRange(start: SourcePosition(line: line, column: column, offset: offset(column)),
                                end: SourcePosition(line: line, column: endColumn, offset: offset(endColumn)))
        return TextReporter.snippet(source, range, paint: { $0 })
    }

    @Test func shortLinesAreShownWhole() {
        #expect(snippet("k: [a, bb]\n", line: 1, column: 8, endColumn: 10) == "   1 | k: [a, bb]\n     |        ^~\n")
        let line160 = "k: " + String(repeating: "x", count: 157)
        #expect(snippet(line160, line: 1, column: 150, endColumn: 152)
                == "   1 | \(line160)\n     | \(String(repeating: " ", count: 149))^~\n")
    }

    /// A line longer than 160 characters is cut to 40 characters before the
    /// range, at most 80 of it, 40 after, with `...` where it was cut.
    @Test func longLinesAreCutToAWindowAroundTheRange() {
        let items = (0..<100).map { "d\($0).example" }
        let line = "  domains: [" + items.joined(separator: ", ") + "]"
        let col = Array(line.unicodeScalars).count - 15  // `d99.example` ... near the end
        let s = snippet(line + "\n", line: 1, column: col, endColumn: col + 11)
        let scalars = Array(line.unicodeScalars)
        let shown = String(String.UnicodeScalarView(scalars[(col - 41)...]))
        #expect(s == "   1 | ...\(shown)\n     |    \(String(repeating: " ", count: 40))^\(String(repeating: "~", count: 10))\n")
        // In the middle: cut on both sides.
        let mid = snippet(line + "\n", line: 1, column: 500, endColumn: 505)
        let window = String(String.UnicodeScalarView(scalars[459..<(499 + 5 + 40)]))
        #expect(mid == "   1 | ...\(window)...\n     |    \(String(repeating: " ", count: 40))^~~~~\n")
        // At the start: cut on the right only.
        let first = snippet(line + "\n", line: 1, column: 13, endColumn: 22)
        let head = String(String.UnicodeScalarView(scalars[0..<(12 + 9 + 40)]))
        #expect(first == "   1 | \(head)...\n     | \(String(repeating: " ", count: 12))^\(String(repeating: "~", count: 8))\n")
    }

    /// A range longer than the window is underlined for 80 characters.
    @Test func longRangesAreUnderlinedUpToTheWindow() {
        let line = "k: " + String(repeating: "y", count: 300)
        let s = snippet(line, line: 1, column: 4, endColumn: 304)
        #expect(s == "   1 | k: \(String(repeating: "y", count: 120))...\n     |    ^\(String(repeating: "~", count: 79))\n")
    }

    /// Multi-byte characters before the range: the window is found from the
    /// byte offset, and the caret still lines up (characters, not bytes).
    @Test func longNonASCIILines() {
        let line = "k: [" + String(repeating: "é", count: 300) + ", bad]"
        let s = snippet(line, line: 1, column: 307, endColumn: 310)
        #expect(s == "   1 | ...\(String(repeating: "é", count: 38)), bad]\n     |    \(String(repeating: " ", count: 40))^~~\n")
    }

    /// Issue 12.1: 20,000 invalid domains on one line (the red team's 129 KB
    /// case) give output linear in the findings (a few hundred bytes each),
    /// not in findings times line length (3.8 GB before).
    @Test func outputForManyFindingsOnOneLineIsLinear() {
        let items = (0..<20_000).map { "bad_\($0)..com" }.joined(separator: ", ")
        let text = tenantHeader + "spec:\n  domains: [" + items + "]\n"
        #expect(text.utf8.count > 250_000)
        let r = lint(text, path: "long.yaml")
        #expect(r.findings.filter { $0.code == "TL004" }.count == 20_000)
        var bytes = 0
        let out = ReportWriter(chunkSize: 1 << 16) { bytes += $0.count; return true }
        TextReporter().write(r, context: context, to: out)
        out.flush()
        #expect(bytes > 20_000 * 200)
        #expect(bytes < 20_000 * 400)
        // Streamed: never more than a chunk and one finding held at once.
        #expect(out.peakBuffered < (1 << 16) + 2_000)
        #expect(out.bytesWritten == bytes)
    }

    /// Issue 12.9: file names, messages and snippets carry no C0/C1
    /// control, DEL, NEL, bidi override or line separator characters.
    @Test func controlAndBidiCharactersAreReplacedEverywhere() {
        let nasty = "a\u{1B}[31m\u{7}\u{7F}\u{85}\u{9B}2J\u{202A}\u{202E}\u{2066}\u{2069}\u{2028}\u{2029}\nb\tc"
        let file = "dir/\(nasty).yaml"
        let source = Source(path: file, text: "k: \(nasty.replacingOccurrences(of: "\n", with: ""))\n")
        let f = Finding(code: "TL002", name: "duplicate-key", severity: .error, message: "bad \(nasty)",
                        location: Location(file: file, range: SourceRange(start: SourcePosition(line: 1, column: 4, offset: 3),
                                                                           end: SourcePosition(line: 1, column: 6, offset: 5))))
        let r = LintResult(findings: [f], sources: [source], documentCount: 1)
        let out = TextReporter().render(r, context: context)
        let unsafe = out.unicodeScalars.filter { Display.isUnsafe($0) && $0 != "\n" }
        #expect(unsafe.isEmpty, "\(unsafe.map { String($0.value, radix: 16) })")
        let shown = "a\u{FFFD}[31m" + String(repeating: "\u{FFFD}", count: 4) + "2J" + String(repeating: "\u{FFFD}", count: 6)
        #expect(out == """
            dir/\(shown)\\nb\tc.yaml:1:4: error: bad \(shown)\\nb\tc [TL002 duplicate-key]
               1 | k: \(shown)b\tc
                 |    ^~
            1 error in 1 file

            """)
        for s: Unicode.Scalar in ["\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}", "\u{9B}", "\u{9F}", "\u{2028}", "\u{2029}",
                                  "\u{202A}", "\u{202E}", "\u{2066}", "\u{2069}"] {
            #expect(Display.isUnsafe(s), "\(s.value)")
        }
        for s: Unicode.Scalar in ["\t", " ", "~", "\u{A0}", "é", "\u{202F}", "\u{2065}", "\u{206A}", "🙂"] {
            #expect(!Display.isUnsafe(s), "\(s.value)")
        }
    }
}

/// Issue 12.18: the JSON-based reports stream, holding one finding at a time.
@Suite struct StreamingReportTests {
    let context = ReportContext(toolVersion: "test", catalog: builtinPack.catalog)

    static let result: LintResult = {
        let findings = (0..<5_000).map { i in
            var f = Finding(code: "TL004", name: "invalid-value", severity: .error, message: "'bad_\(i)..com' is not a domain name",
                            location: Location(file: "m\(i % 7).yaml", range: SourceRange(start: SourcePosition(line: i + 1, column: 3, offset: 0),
                                                                                       end: SourcePosition(line: i + 1, column: 9, offset: 0))))
            f.path = "Tenant/t:spec.domains[\(i)]"
            f.value = "bad_\(i)..com"
            return f
        }.sorted(by: Finding.reportOrder)
        return LintResult(findings: findings, sources: [], documentCount: 7)
    }()

    @Test(arguments: [OutputFormat.json, .sarif, .text, .junit, .github, .checkstyle])
    func heldBytesDoNotGrowWithTheFindings(_ format: OutputFormat) {
        let chunk = 4_096
        var bytes: [UInt8] = []
        let out = ReportWriter(chunkSize: chunk) { bytes += $0; return true }
        format.reporter().write(Self.result, context: context, to: out)
        out.flush()
        #expect(bytes.count > 5_000 * 50)
        // What the writer held at once: a chunk and one finding's text (the
        // SARIF rule list is one item per rule), never the report.
        let bound = format == .sarif ? chunk + 16_000 : format == .junit || format == .checkstyle ? chunk + 5_000 * 600 / 7 + 1_000 : chunk + 2_000
        #expect(out.peakBuffered < bound, "\(format): \(out.peakBuffered) bytes held")
        // The same bytes as rendering at once.
        #expect(String(decoding: bytes, as: UTF8.self) == format.reporter().render(Self.result, context: context))
    }

    /// A sink that fails (a full disk) stops the writer; it says so.
    @Test func aFailingSinkIsReported() {
        var calls = 0
        let out = ReportWriter(chunkSize: 10) { _ in calls += 1; return false }
        out.write(String(repeating: "x", count: 25))
        out.write(String(repeating: "y", count: 25))
        out.flush()
        #expect(!out.ok)
        #expect(calls == 1)
        #expect(out.bytesWritten == 0)
    }
}
