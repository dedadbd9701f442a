import YAMLSource

/// `--format text`: gcc-style lines that vim, Emacs and VS Code problem
/// matchers parse, `path:LINE:COL: severity: message [CODE name]`, each
/// followed by the source line with the range underlined, then `note:` lines
/// for related positions, and a summary line.
public struct TextReporter: Reporter {
    public init() {}

    enum Style: String {
        case bold = "\u{1B}[1m"
        case red = "\u{1B}[1;31m"
        case magenta = "\u{1B}[1;35m"
        case blue = "\u{1B}[1;34m"
        case cyan = "\u{1B}[1;36m"
        case green = "\u{1B}[32m"
        case reset = "\u{1B}[0m"
    }

    public func write(_ result: LintResult, context: ReportContext, to out: ReportWriter) {
        func paint(_ s: String, _ style: Style) -> String {
            context.color ? style.rawValue + s + Style.reset.rawValue : s
        }
        for f in result.findings {
            var text = ""
            let label: String
            switch f.severity {
            case .error: label = paint("error:", .red)
            case .warning: label = paint("warning:", .magenta)
            case .info: label = paint("info:", .blue)
            }
            let tag = f.name.isEmpty ? f.code : "\(f.code) \(f.name)"
            text += "\(paint(Self.locationText(f.location) + ":", .bold)) \(label) \(Self.oneLine(f.message)) [\(tag)]\n"
            if context.snippets, let src = result.source(for: f.location.file) {
                text += Self.snippet(src, f.location.range, paint: { paint($0, .green) })
            }
            for r in f.related {
                text += "\(paint(Self.locationText(r.location) + ":", .bold)) \(paint("note:", .cyan)) \(Self.oneLine(r.message))\n"
                if context.snippets, let src = result.source(for: r.location.file) {
                    text += Self.snippet(src, r.location.range, paint: { paint($0, .green) })
                }
            }
            out.write(text)
        }
        if context.statistics { out.write(Self.statistics(result)) }
        if context.summary { out.write(Self.summary(result) + "\n") }
    }

    /// `path:LINE:COL`, the path escaped for display (`Display.path`).
    static func locationText(_ l: Location) -> String {
        "\(Display.path(l.file)):\(l.range.start.line):\(l.range.start.column)"
    }

    /// Messages stay on one line so every finding is one matchable line,
    /// and carry no terminal control characters from the manifest (`Display.line`).
    static func oneLine(_ s: String) -> String {
        Display.line(s)
    }

    /// `2 errors, 1 warning in 3 files`, or `no findings in 3 files`, then
    /// `; skipped 2 non-manifest documents` when there were any.
    public static func summary(_ result: LintResult) -> String {
        func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        var parts: [String] = []
        let e = result.count(.error), w = result.count(.warning), i = result.count(.info)
        if e > 0 { parts.append(plural(e, "error")) }
        if w > 0 { parts.append(plural(w, "warning")) }
        if i > 0 { parts.append(plural(i, "info")) }
        let what = parts.isEmpty ? "no findings" : parts.joined(separator: ", ")
        let hidden = result.suppressed.isEmpty ? "" : " (\(result.suppressed.count) suppressed)"
        let skipped = result.skippedDocuments == 0 ? "" : "; skipped \(plural(result.skippedDocuments, "non-manifest document"))"
        return "\(what) in \(plural(result.sources.count, "file"))\(hidden)\(skipped)"
    }

    /// `--statistics`: the number of findings of each rule, most first
    /// (then by code), as `COUNT  CODE  name  severity` lines under a
    /// `statistics:` heading; nothing when there are no findings.
    public static func statistics(_ result: LintResult) -> String {
        var counts: [String: (count: Int, name: String, severity: Severity)] = [:]
        for f in result.findings {
            counts[f.code, default: (0, f.name, f.severity)].count += 1
        }
        guard !counts.isEmpty else { return "" }
        let rows = counts.sorted { a, b in a.value.count != b.value.count ? a.value.count > b.value.count : a.key < b.key }
        let countWidth = String(rows[0].value.count).count
        let codeWidth = rows.map(\.key.count).max() ?? 0
        let nameWidth = rows.map(\.value.name.count).max() ?? 0
        func pad(_ s: String, _ w: Int, left: Bool = false) -> String {
            let fill = String(repeating: " ", count: max(0, w - s.count))
            return left ? fill + s : s + fill
        }
        var out = "statistics:\n"
        for (code, v) in rows {
            out += "  " + pad(String(v.count), countWidth, left: true) + "  " + pad(code, codeWidth) + "  "
            out += pad(v.name, nameWidth) + "  " + v.severity.rawValue + "\n"
        }
        return out
    }

    /// Lines up to this many characters are shown whole in a snippet.
    public static let snippetWidth = 160
    /// Longer lines are cut, as compilers do, to a window: this many
    /// characters before the range, ...
    public static let snippetBefore = 40
    /// ... at most this many of the range itself, ...
    public static let snippetRange = 80
    /// ... and this many after it, with `...` where the line goes on.
    public static let snippetAfter = 40

    /// The source line with a caret under the start and tildes to the end of
    /// the range (or of the line, for ranges that span lines). A line longer
    /// than `snippetWidth` characters is cut to a window around the range
    /// (`...` marks the cuts), found from the range's byte offset without
    /// decoding the rest of the line, so a snippet costs the same on a
    /// 2 MB line as on a short one.
    static func snippet(_ source: Source, _ range: SourceRange, paint: (String) -> String) -> String {
        let line = range.start.line
        guard line >= 1 && line <= source.lineCount else { return "" }
        let lineBytes = source.lineByteRange(line)
        let startCol = max(1, range.start.column)
        // Short lines (at most 4 bytes a character): decode them whole.
        if lineBytes.count <= 4 * snippetWidth {
            let scalars = Array(Display.sourceLine(source.lineText(line)).unicodeScalars)
            if scalars.count <= snippetWidth {
                var endCol = range.end.line == line ? range.end.column : scalars.count + 1
                endCol = min(max(endCol, startCol + 1), max(scalars.count + 1, startCol + 1))
                return render(line: line, window: scalars[...], leftCut: false, rightCut: false,
                              caret: startCol - 1, marks: endCol - startCol, paint: paint)
            }
        }
        // A long line: walk from the start's byte offset.
        let bytes = source.bytes
        func isContinuation(_ i: Int) -> Bool { bytes[i] & 0xC0 == 0x80 }
        var s: Int
        let offset = range.start.offset
        if offset >= lineBytes.lowerBound && offset <= lineBytes.upperBound && (offset > lineBytes.lowerBound || startCol == 1) {
            s = offset
            while s > lineBytes.lowerBound && s < lineBytes.upperBound && isContinuation(s) { s -= 1 }
        } else {
            // No usable offset (a position made by hand): count columns from the line's start.
            s = lineBytes.lowerBound
            var col = 1
            while col < startCol && s < lineBytes.upperBound {
                s += 1
                while s < lineBytes.upperBound && isContinuation(s) { s += 1 }
                col += 1
            }
        }
        var lo = s, before = 0
        while lo > lineBytes.lowerBound && before < snippetBefore {
            lo -= 1
            while lo > lineBytes.lowerBound && isContinuation(lo) { lo -= 1 }
            before += 1
        }
        let rangeLength = range.end.line == line ? max(1, range.end.column - startCol) : Int.max
        let shown = min(rangeLength, snippetRange)
        var hi = s, after = 0
        while hi < lineBytes.upperBound && after < shown + snippetAfter {
            hi += 1
            while hi < lineBytes.upperBound && isContinuation(hi) { hi += 1 }
            after += 1
        }
        let window = Array(Display.sourceLine(String(decoding: bytes[lo..<hi], as: UTF8.self)).unicodeScalars)
        let marks = max(1, min(shown, window.count - before))
        return render(line: line, window: window[...], leftCut: lo > lineBytes.lowerBound, rightCut: hi < lineBytes.upperBound,
                      caret: before, marks: marks, paint: paint)
    }

    /// The two snippet lines: the numbered text (`window`, with `...` at
    /// cuts) and the marks, `caret` characters into the window, `marks` long.
    static func render(line: Int, window: ArraySlice<Unicode.Scalar>, leftCut: Bool, rightCut: Bool,
                       caret: Int, marks: Int, paint: (String) -> String) -> String {
        let number = String(line)
        let gutter = String(repeating: " ", count: max(4, number.count + 1))
        var text = leftCut ? "..." : ""
        text.unicodeScalars.append(contentsOf: window)
        if rightCut { text += "..." }
        // Keep tabs in the padding so the caret lines up under tabbed text.
        var pad = leftCut ? "   " : ""
        for i in 0..<max(0, caret) {
            let k = window.startIndex + i
            pad.unicodeScalars.append(k < window.endIndex && window[k] == "\t" ? "\t" : " ")
        }
        let tildes = "^" + String(repeating: "~", count: max(0, marks - 1))
        let numbered = String(repeating: " ", count: gutter.count - number.count) + number
        return "\(numbered) | \(text)\n\(gutter) | \(pad)\(paint(tildes))\n"
    }
}
