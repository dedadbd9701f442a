import PolicyEngine
import YAMLSource

/// XML 1.0 escaping for the XML reporters (JUnit, Checkstyle).
public enum XML {
    /// What stands in for a character XML 1.0 cannot carry at all (most C0
    /// controls, U+FFFE, U+FFFF): even `&#1;` is not well-formed.
    public static let replacement = "\u{FFFD}"

    /// Text for an attribute value written between double quotes: the five
    /// markup characters become entities, and tab, line feed and carriage
    /// return become character references so attribute-value normalization
    /// does not turn them into spaces.
    public static func attribute(_ s: String) -> String {
        escape(s, attribute: true)
    }

    /// Text for element content. Line feeds and tabs stay as they are; a
    /// carriage return becomes `&#13;` (a parser would turn it into a line feed).
    public static func text(_ s: String) -> String {
        escape(s, attribute: false)
    }

    /// Whether XML 1.0 allows the character in a document (the `Char` production).
    public static func isAllowed(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x9, 0xA, 0xD: return true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    static func escape(_ s: String, attribute: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\r": out += "&#13;"
            case "\n": if attribute { out += "&#10;" } else { out += "\n" }
            case "\t": if attribute { out += "&#9;" } else { out += "\t" }
            default:
                if isAllowed(c) { out.unicodeScalars.append(c) } else { out += replacement }
            }
        }
        return out
    }
}

extension LintResult {
    /// Every file a report lists, sorted by path (the order of the findings):
    /// the files linted, and any other file a finding is in.
    var reportedFiles: [String] {
        var seen = Set<String>()
        for s in sources { seen.insert(s.path) }
        for f in findings { seen.insert(f.location.file) }
        for s in suppressed { seen.insert(s.finding.location.file) }
        return seen.sorted()
    }

    /// Active and suppressed findings together, in report order; `nil` marks
    /// an active finding.
    var allFindings: [(finding: Finding, suppression: Suppression?)] {
        let all: [(finding: Finding, suppression: Suppression?)] =
            findings.map { ($0, nil) } + suppressed.map { ($0.finding, $0.suppression) }
        // Stable: ties keep active findings before suppressed ones.
        return all.enumerated().sorted { a, b in
            if Finding.reportOrder(a.element.finding, b.element.finding) { return true }
            if Finding.reportOrder(b.element.finding, a.element.finding) { return false }
            return a.offset < b.offset
        }.map(\.element)
    }
}

extension SourcePosition {
    /// The line, at least 1, for formats that require positive positions.
    var reportLine: Int { Swift.max(1, line) }
    var reportColumn: Int { Swift.max(1, column) }
}
