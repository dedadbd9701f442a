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

    public func render(_ result: LintResult, context: ReportContext) -> String {
        var out = ""
        func paint(_ s: String, _ style: Style) -> String {
            context.color ? style.rawValue + s + Style.reset.rawValue : s
        }
        for f in result.findings {
            let label: String
            switch f.severity {
            case .error: label = paint("error:", .red)
            case .warning: label = paint("warning:", .magenta)
            case .info: label = paint("info:", .blue)
            }
            let tag = f.name.isEmpty ? f.code : "\(f.code) \(f.name)"
            out += "\(paint(Self.locationText(f.location) + ":", .bold)) \(label) \(Self.oneLine(f.message)) [\(tag)]\n"
            if context.snippets, let src = result.source(for: f.location.file) {
                out += Self.snippet(src, f.location.range, paint: { paint($0, .green) })
            }
            for r in f.related {
                out += "\(paint(Self.locationText(r.location) + ":", .bold)) \(paint("note:", .cyan)) \(Self.oneLine(r.message))\n"
                if context.snippets, let src = result.source(for: r.location.file) {
                    out += Self.snippet(src, r.location.range, paint: { paint($0, .green) })
                }
            }
        }
        out += Self.summary(result) + "\n"
        return out
    }

    static func locationText(_ l: Location) -> String {
        "\(l.file):\(l.range.start.line):\(l.range.start.column)"
    }

    /// Messages stay on one line so every finding is one matchable line,
    /// and carry no terminal control characters from the manifest.
    static func oneLine(_ s: String) -> String {
        s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F } ? s.replacingNewlines() : s
    }

    /// A source line for the snippet: control characters other than tab are
    /// shown as U+FFFD, so a hostile file cannot drive the terminal (the
    /// caret still lines up: one character for one).
    static func printable(_ s: String) -> String {
        guard s.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else { return s }
        var out = ""
        for ch in s.unicodeScalars {
            out.unicodeScalars.append(isControl(ch) ? "\u{FFFD}" : ch)
        }
        return out
    }

    static func isControl(_ ch: Unicode.Scalar) -> Bool {
        (ch.value < 0x20 && ch != "\t") || ch.value == 0x7F
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

    /// The source line with a caret under the start and tildes to the end of
    /// the range (or of the line, for ranges that span lines).
    static func snippet(_ source: Source, _ range: SourceRange, paint: (String) -> String) -> String {
        let line = range.start.line
        guard line >= 1 && line <= source.lineCount else { return "" }
        let text = printable(source.lineText(line))
        let scalars = Array(text.unicodeScalars)
        let number = String(line)
        let gutter = String(repeating: " ", count: max(4, number.count + 1))
        let startCol = max(1, range.start.column)
        var endCol = range.end.line == line ? range.end.column : scalars.count + 1
        endCol = min(max(endCol, startCol + 1), max(scalars.count + 1, startCol + 1))
        // Keep tabs in the padding so the caret lines up under tabbed text.
        var pad = ""
        for i in 0..<(startCol - 1) {
            pad.unicodeScalars.append(i < scalars.count && scalars[i] == "\t" ? "\t" : " ")
        }
        let marks = "^" + String(repeating: "~", count: max(0, endCol - startCol - 1))
        let numbered = String(repeating: " ", count: gutter.count - number.count) + number
        return "\(numbered) | \(text)\n\(gutter) | \(pad)\(paint(marks))\n"
    }
}

extension String {
    /// Newlines as `\n` and `\r`, other control characters as U+FFFD.
    func replacingNewlines() -> String {
        var out = ""
        for ch in self.unicodeScalars {
            switch ch {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(TextReporter.isControl(ch) ? "\u{FFFD}" : ch)
            }
        }
        return out
    }
}
