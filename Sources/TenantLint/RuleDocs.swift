/// Human documentation of rules, from the rule files: `tenantlint explain`
/// and the generated reference (docs/rules.md).
public enum RuleDocs {
    /// The text `tenantlint explain` prints.
    public static func explain(_ r: RuleFile) -> String {
        var out = "\(r.code) \(r.name) (\(r.severity.rawValue))\n\n\(r.summary)\n"
        out += "\nWhy\n" + indent(r.rationale.trimmingTrailingNewlines()) + "\n"
        if !r.tags.isEmpty {
            out += "\nTags\n  " + r.tags.joined(separator: ", ") + "\n"
        }
        let fixes = r.checks.flatMap(\.fixes)
        if !fixes.isEmpty {
            out += "\nFixes\n" + fixes.map { "  \($0.safety.rawValue): \($0.title.text)" }.joined(separator: "\n") + "\n"
        }
        if !r.references.isEmpty {
            out += "\nReferences\n" + r.references.map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        if !r.examples.isEmpty {
            out += "\nExamples\n"
            for ex in r.examples {
                let marked = ex.files.contains { $0.text.contains("# expect:") }
                out += "\n  \(marked ? "✗" : "✓") \(ex.name)\(marked ? " (reported)" : " (passes)")"
                if let t = ex.today { out += " (today: \(DateValue.format(t)))" }
                out += "\n"
                for f in ex.files {
                    if ex.files.count > 1 { out += "    # \(f.name)\n" }
                    out += indent(f.text.trimmingTrailingNewlines(), by: 4) + "\n"
                    if let fixed = ex.fixed.first(where: { $0.name == f.name }) {
                        out += "    # after fixing:\n" + indent(fixed.text.trimmingTrailingNewlines(), by: 4) + "\n"
                    }
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

extension RuleDocs {
    /// The rule reference, docs/rules.md: an index, then one section per rule
    /// with an `<a id="tl401">` anchor (SARIF helpUri links to these).
    public static func markdown(_ catalog: RuleCatalog) -> String {
        var out = """
        # Rule reference

        Generated from the rule files in [`rules/`](../rules) by
        `tenantlint rules --format markdown > docs/rules.md`; a test fails when
        this page is stale. Every rule can be turned off or re-graded in
        [configuration](configuration.md), and suppressed inline with
        `# tenantlint: disable-line CODE -- reason`.

        | code | name | severity | summary |
        |---|---|---|---|

        """
        for r in catalog.rules {
            out += "| [\(r.code)](#\(r.code.lowercased())) | \(r.name) | \(r.severity.rawValue) | \(cell(r.summary)) |\n"
        }
        for r in catalog.rules {
            out += "\n<a id=\"\(r.code.lowercased())\"></a>\n\n## \(r.code) \(r.name)\n\n"
            var facts = ["**Severity:** \(r.severity.rawValue)"]
            facts.append(r.builtin ? "**Checked by:** the engine" : "**Judges:** `kind: \(r.kind ?? "")` documents")
            facts.append("**Source:** [`\(r.path)`](../\(r.path))")
            if !r.tags.isEmpty { facts.append("**Tags:** " + r.tags.map { "`\($0)`" }.joined(separator: ", ")) }
            out += facts.joined(separator: " · ") + "\n\n"
            out += r.summary + "\n\n"
            out += r.rationale.trimmingTrailingNewlines() + "\n"
            if !r.references.isEmpty {
                out += "\nReferences:\n\n" + r.references.map { "- <\($0)>" }.joined(separator: "\n") + "\n"
            }
            let fixes = r.checks.flatMap(\.fixes)
            if !fixes.isEmpty {
                out += "\nFixes ([safety levels](fixes.md)):\n\n"
                for f in fixes {
                    out += "- **\(f.safety.rawValue)**: \(f.title.text)" + (f.description.map { ". " + $0 } ?? "") + "\n"
                }
            }
            if !r.examples.isEmpty {
                out += "\nExamples:\n"
                for ex in r.examples {
                    let marked = ex.files.contains { $0.text.contains("# expect:") }
                    var title = "\n**\(marked ? "Reported" : "Passes"):** \(ex.name)"
                    if let t = ex.today { title += " (today: \(DateValue.format(t)))" }
                    out += title + "\n"
                    for f in ex.files {
                        out += "\n"
                        if ex.files.count > 1 { out += "`\(f.name)`:\n\n" }
                        out += "```yaml\n" + f.text.trimmingTrailingNewlines() + "\n```\n"
                        if let fixed = ex.fixed.first(where: { $0.name == f.name }) {
                            out += "\nAfter fixing:\n\n```yaml\n" + fixed.text.trimmingTrailingNewlines() + "\n```\n"
                        }
                    }
                }
            }
        }
        return out
    }

    static func cell(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "|": out += "\\|"
            case "\n": out += " "
            default: out.append(ch)
            }
        }
        return out
    }
}
