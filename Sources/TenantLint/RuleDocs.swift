/// Human documentation of rules, from the rule files: `tenantlint explain`
/// and the generated reference (docs/rules.md).
public enum RuleDocs {
    /// The text `tenantlint explain` prints.
    public static func explain(_ r: RuleFile) -> String {
        var out = "\(r.code) \(r.name) (\(r.severity.rawValue))\n\n\(r.summary)\n"
        out += "\nWhy\n" + indent(r.rationale.trimmingTrailingNewlines()) + "\n"
        if !r.references.isEmpty {
            out += "\nReferences\n" + r.references.map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        if !r.examples.isEmpty {
            out += "\nExamples\n"
            for ex in r.examples {
                let marked = ex.files.contains { $0.text.contains("# expect:") }
                out += "\n  \(marked ? "✗" : "✓") \(ex.name)\(marked ? " (reported)" : " (passes)")\n"
                for f in ex.files {
                    if ex.files.count > 1 { out += "    # \(f.name)\n" }
                    out += indent(f.text.trimmingTrailingNewlines(), by: 4) + "\n"
                }
            }
        }
        return out
    }

    static func indent(_ s: String, by n: Int = 2) -> String {
        let pad = String(repeating: " ", count: n)
        return s.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }
}

extension String {
    func trimmingTrailingNewlines() -> String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
