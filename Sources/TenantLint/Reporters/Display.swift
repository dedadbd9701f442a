/// Text from the input (file names, messages that quote manifest values,
/// source lines) on its way to a terminal, a CI log or a dashboard: nothing
/// in it may drive the terminal, split a finding over lines, or reorder what
/// is shown.
///
/// Unsafe are the C0 controls other than tab, DEL, the C1 controls
/// U+0080–U+009F (NEL U+0085, CSI U+009B among them), the line and paragraph
/// separators U+2028 and U+2029, and the bidirectional embeddings, overrides
/// and isolates U+202A–U+202E and U+2066–U+2069 ("Trojan Source").
public enum Display {
    /// Whether a character must not reach human-facing output as it is (tab is safe).
    public static func isUnsafe(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09: return false
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }

    /// True when no byte of `s` can start an unsafe character: the common
    /// case, checked without decoding.
    @inline(__always)
    static func isPlainlySafe(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            for b in bytes where b < 0x20 || b == 0x7F || b == 0xC2 || b == 0xE2 {
                if b == 0x09 { continue }
                return false
            }
            return true
        }
    }

    /// Text for one line of output (a message, a note): line feed and
    /// carriage return as `\n` and `\r`, every other unsafe character as U+FFFD.
    public static func line(_ s: String) -> String {
        if isPlainlySafe(s) || !s.unicodeScalars.contains(where: isUnsafe) { return s }
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(isUnsafe(c) ? "\u{FFFD}" : c)
            }
        }
        return out
    }

    /// Text that may span lines (a message in a format that carries line
    /// breaks escaped, such as an XML attribute or a workflow command): line
    /// feed and carriage return kept, every other unsafe character as U+FFFD.
    public static func multiline(_ s: String) -> String {
        if isPlainlySafe(s) || !s.unicodeScalars.contains(where: { isUnsafe($0) && $0 != "\n" && $0 != "\r" }) { return s }
        var out = ""
        for c in s.unicodeScalars {
            out.unicodeScalars.append(isUnsafe(c) && c != "\n" && c != "\r" ? "\u{FFFD}" : c)
        }
        return out
    }

    /// Text for standard error, which may span lines: line feed kept, every
    /// other unsafe character (carriage return too) as U+FFFD.
    public static func terminal(_ s: String) -> String {
        if isPlainlySafe(s) || !s.unicodeScalars.contains(where: { isUnsafe($0) && $0 != "\n" }) { return s }
        var out = ""
        for c in s.unicodeScalars {
            out.unicodeScalars.append(isUnsafe(c) && c != "\n" ? "\u{FFFD}" : c)
        }
        return out
    }

    /// A file name for output: as `line`, so a name with a line feed or an
    /// escape sequence cannot split a finding or reach the terminal.
    public static func path(_ s: String) -> String { line(s) }

    /// A source line for a snippet: every unsafe character as U+FFFD, one
    /// character for one, so the caret under it still lines up.
    public static func sourceLine(_ s: String) -> String {
        if isPlainlySafe(s) || !s.unicodeScalars.contains(where: isUnsafe) { return s }
        var out = ""
        for c in s.unicodeScalars { out.unicodeScalars.append(isUnsafe(c) ? "\u{FFFD}" : c) }
        return out
    }
}
