import YAMLSource

/// Reads rule files and checks their shape: known keys, required keys, types.
/// Every problem found is returned, each with its position in the rule file.
public enum RuleFileLoader {
    static let keys = ["code", "name", "severity", "summary", "rationale", "references", "tags", "kind", "builtin",
                       "variables", "each", "when", "assert", "aggregate", "at", "related", "message", "fix", "checks", "examples"]
    static let checkKeys = ["each", "when", "assert", "aggregate", "at", "related", "message", "fix"]

    /// A rule tag: ASCII letters, digits and `-_.:`, starting with a letter
    /// or digit (`security`, `scuba:MS.SHAREPOINT.2.1v1`, `cis:7.2.7`).
    public static func isTag(_ text: String) -> Bool {
        let u = Array(text.utf8)
        guard let first = u.first, isAlnum(first) else { return false }
        return u.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") }
    }

    private static func isAlnum(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
    }

    /// Loads one rule file; returns the rule, or every problem found in it.
    public static func load(_ source: Source) -> (rule: RuleFile?, errors: [RuleLoadError]) {
        load(Loader().load(source))
    }

    /// Loads one rule file from its nodes (as `Loader` or `NodeTable` gives them).
    public static func load(_ loaded: LoadResult) -> (rule: RuleFile?, errors: [RuleLoadError]) {
        let source = loaded.source
        var errors: [RuleLoadError] = loaded.problems.map {
            RuleLoadError($0.message, file: source.path, position: $0.range.start)
        }
        guard errors.isEmpty else { return (nil, errors) }
        guard loaded.documents.count == 1, let root = loaded.documents[0].root, let pairs = root.mapping else {
            return (nil, [RuleLoadError("a rule file holds one YAML mapping", file: source.path,
                                        position: SourcePosition(line: 1, column: 1, offset: 0))])
        }
        var parser = Parser(errors: [])
        for pair in pairs {
            guard let key = pair.key.text, keys.contains(key) || key.hasPrefix("x-") else {
                var m = "unknown key '\(pair.key.text ?? pair.key.kindName)' in rule file"
                if let k = pair.key.text, let s = Suggestion.closest(to: k, in: keys) { m += "; did you mean '\(s)'?" }
                parser.errors.append(RuleLoadError(m, at: pair.key))
                continue
            }
        }
        let rule = parser.rule(root, path: source.path)
        errors += parser.errors
        return (errors.isEmpty ? rule : nil, errors)
    }

    struct Parser {
        var errors: [RuleLoadError]

        mutating func fail(_ message: String, _ node: Node) {
            errors.append(RuleLoadError(message, at: node))
        }

        mutating func string(_ root: Node, _ key: String, required: Bool) -> String? {
            guard let node = root[key] else {
                if required { fail("missing required key '\(key)'", root) }
                return nil
            }
            guard let s = node.scalar, case .string(let text) = s.value, !text.isEmpty else {
                fail("'\(key)' must be a non-empty string", node)
                return nil
            }
            return text
        }

        mutating func expression(_ node: Node?, _ key: String) -> ExpressionSource? {
            guard let node else { return nil }
            guard let s = node.scalar else {
                fail("'\(key)' must be an expression (a string)", node)
                return nil
            }
            switch s.value {
            case .string(let t): return ExpressionSource(text: t, node: node)
            case .bool(let b): return ExpressionSource(text: b ? "true" : "false", node: node)
            case .int(let i): return ExpressionSource(text: String(i), node: node)
            default:
                fail("'\(key)' must be an expression (a string)", node)
                return nil
            }
        }

        mutating func rule(_ root: Node, path: String) -> RuleFile? {
            let code = string(root, "code", required: true)
            let name = string(root, "name", required: true)
            let sevText = string(root, "severity", required: true)
            let summary = string(root, "summary", required: true)
            let rationale = string(root, "rationale", required: true) ?? ""
            if let code, !isCode(code) { fail("code '\(code)' must be 'TL' followed by three digits, or a custom prefix of letters and digits", root["code"]!) }
            if let name, !isKebab(name) { fail("name '\(name)' must be kebab-case (lowercase letters, digits, '-')", root["name"]!) }
            var severity = Severity.error
            if let sevText {
                if let s = Severity(rawValue: sevText) { severity = s } else {
                    fail("severity '\(sevText)' must be error, warning or info", root["severity"]!)
                }
            }
            var references: [String] = []
            if let refs = root["references"] {
                if let items = refs.sequence {
                    for item in items {
                        if let t = item.text, t.hasPrefix("https://") || t.hasPrefix("http://") { references.append(t) } else {
                            fail("a reference must be an http(s) URL", item)
                        }
                    }
                } else {
                    fail("'references' must be a list of URLs", refs)
                }
            }
            var tags: [String] = []
            if let list = root["tags"] {
                if let items = list.sequence {
                    for item in items {
                        if let t = item.text, RuleFileLoader.isTag(t) {
                            if !tags.contains(t) { tags.append(t) }
                        } else {
                            fail("a tag must be a non-empty word of letters, digits and '-', '_', '.', ':' (e.g. security, scuba:MS.AAD.8.1v1)", item)
                        }
                    }
                } else {
                    fail("'tags' must be a list of tags", list)
                }
            }
            var builtin = false
            if let b = root["builtin"] {
                if case .bool(let v)? = b.scalar?.value { builtin = v } else { fail("'builtin' must be true or false", b) }
            }
            let kind = string(root, "kind", required: !builtin)
            var variables: [(name: String, expression: ExpressionSource)] = []
            if let v = root["variables"] {
                if let pairs = v.mapping {
                    for p in pairs {
                        guard let n = p.key.text, isIdentifier(n) else {
                            fail("a variable name must be an identifier", p.key)
                            continue
                        }
                        if ["doc", "it", "rule"].contains(n) { fail("'\(n)' is reserved and cannot be a variable name", p.key) }
                        if let e = expression(p.value, "variables.\(n)") { variables.append((n, e)) }
                    }
                } else {
                    fail("'variables' must be a mapping of name: expression, evaluated in order", v)
                }
            }
            var checks: [RuleCheck] = []
            let topLevel = RuleFileLoader.checkKeys.contains { root[$0] != nil }
            let sharedMessage = expression(root["message"], "message")
            if let list = root["checks"] {
                if let items = list.sequence, !items.isEmpty {
                    for item in items {
                        guard let pairs = item.mapping else {
                            fail("a check is a mapping of \(RuleFileLoader.checkKeys.joined(separator: ", "))", item)
                            continue
                        }
                        let allowed = RuleFileLoader.checkKeys + ["severity"]
                        for p in pairs where !allowed.contains(p.key.text ?? "") {
                            var m = "unknown key '\(p.key.text ?? "")' in check"
                            if let k = p.key.text, let s = Suggestion.closest(to: k, in: allowed) { m += "; did you mean '\(s)'?" }
                            fail(m, p.key)
                        }
                        var severity: Severity?
                        if let sv = item["severity"] {
                            if let t = sv.text, let v = Severity(rawValue: t) { severity = v } else {
                                fail("severity '\(sv.text ?? sv.kindName)' must be error, warning or info", sv)
                            }
                        }
                        if let c = check(item, defaultMessage: sharedMessage, builtin: builtin, severity: severity) { checks.append(c) }
                    }
                } else {
                    fail("'checks' must be a non-empty list of checks", list)
                }
                for key in RuleFileLoader.checkKeys where key != "message" {
                    if let n = root.keyNode(key) { fail("'\(key)' belongs inside each check when a rule has 'checks'", n) }
                }
            } else if topLevel && !builtin {
                if let c = check(root, defaultMessage: nil, builtin: builtin, severity: nil) { checks.append(c) }
            }
            if builtin {
                for key in RuleFileLoader.checkKeys + ["variables", "kind", "checks"] {
                    if let n = root.keyNode(key) { fail("'\(key)' has no effect on a builtin rule, whose logic is in the engine", n) }
                }
            } else if checks.isEmpty && root["checks"] == nil {
                fail("a rule needs 'assert', 'aggregate', 'each' (every selected node is a finding), or 'checks'", root)
            }
            let examples = self.examples(root["examples"])
            guard let code, let name, let summary else { return nil }
            return RuleFile(path: path, code: code, name: name, severity: severity, summary: summary,
                            rationale: rationale, references: references, tags: tags, kind: kind, builtin: builtin,
                            variables: variables, checks: checks, examples: examples,
                            codeNode: root["code"]!, nameNode: root["name"]!)
        }

        /// One check: from a `checks:` item, or from the rule's top level.
        mutating func check(_ root: Node, defaultMessage: ExpressionSource?, builtin: Bool, severity: Severity?) -> RuleCheck? {
            let each = expression(root["each"], "each")
            let when = expression(root["when"], "when")
            let assert = expression(root["assert"], "assert")
            let at = expression(root["at"], "at")
            let message = expression(root["message"], "message") ?? defaultMessage
            var aggregate: AggregateSpec?
            if let a = root["aggregate"] {
                if let pairs = a.mapping {
                    for p in pairs where !["groupBy", "max"].contains(p.key.text ?? "") {
                        fail("unknown key '\(p.key.text ?? "")' in aggregate; expected groupBy and max", p.key)
                    }
                    let g = expression(a["groupBy"], "aggregate.groupBy")
                    if a["groupBy"] == nil { fail("aggregate needs 'groupBy'", a) }
                    var max = ExpressionSource(text: "1", node: a)
                    if let m = a["max"] {
                        if case .int(let v)? = m.scalar?.value, v < 1 {
                            fail("aggregate 'max' must be at least 1", m)
                        } else if let e = expression(m, "aggregate.max") {
                            max = e
                        }
                    }
                    if let g { aggregate = AggregateSpec(groupBy: g, max: max) }
                } else {
                    fail("'aggregate' must be a mapping with groupBy and max", a)
                }
            }
            var related: [RelatedSpec] = []
            if let r = root["related"] {
                if let items = r.sequence {
                    for item in items {
                        if item.scalar != nil {
                            if let e = expression(item, "related") { related.append(RelatedSpec(at: e, message: nil)) }
                        } else if let pairs = item.mapping {
                            for p in pairs where !["at", "message"].contains(p.key.text ?? "") {
                                fail("unknown key '\(p.key.text ?? "")' in related; expected at and message", p.key)
                            }
                            guard let atNode = item["at"], let e = expression(atNode, "related.at") else {
                                fail("a related entry needs 'at'", item)
                                continue
                            }
                            related.append(RelatedSpec(at: e, message: expression(item["message"], "related.message")))
                        } else {
                            fail("a related entry is an expression or {at, message}", item)
                        }
                    }
                } else {
                    fail("'related' must be a list", r)
                }
            }
            if message == nil { fail("missing required key 'message'", root) }
            if assert != nil && aggregate != nil { fail("a check has either 'assert' or 'aggregate', not both", root["aggregate"]!) }
            if each == nil && assert == nil && aggregate == nil && when == nil {
                fail("a check needs 'assert', 'aggregate', or 'each' (every selected node is a finding)", root)
            }
            if aggregate != nil && each == nil { fail("'aggregate' needs 'each' to select the nodes to group", root["aggregate"]!) }
            return RuleCheck(each: each, when: when, assert: assert, aggregate: aggregate, at: at,
                             related: related, message: message, severity: severity, node: root,
                             fixes: fixes(root["fix"]))
        }

        /// `fix:`: one fix (a mapping) or a list of them, best first.
        mutating func fixes(_ node: Node?) -> [FixSpec] {
            guard let node else { return [] }
            let items: [Node]
            if node.mapping != nil { items = [node] } else if let list = node.sequence, !list.isEmpty { items = list } else {
                fail("'fix' must be a fix (a mapping with title, safety and edits) or a list of them", node)
                return []
            }
            var out: [FixSpec] = []
            for item in items {
                guard let pairs = item.mapping else {
                    fail("a fix is a mapping with title, safety, edits and optionally when", item)
                    continue
                }
                let allowed = ["title", "safety", "description", "when", "edits"]
                for p in pairs where !allowed.contains(p.key.text ?? "") {
                    var m = "unknown key '\(p.key.text ?? "")' in fix"
                    if let k = p.key.text, let s = Suggestion.closest(to: k, in: allowed) { m += "; did you mean '\(s)'?" }
                    fail(m, p.key)
                }
                let title = expression(item["title"], "fix.title")
                if item["title"] == nil { fail("a fix needs 'title'", item) }
                var safety: FixSafety?
                if let sv = item["safety"] {
                    if let t = sv.text, let v = FixSafety(rawValue: t) { safety = v } else {
                        fail("fix safety '\(sv.text ?? sv.kindName)' must be safe or unsafe", sv)
                    }
                } else {
                    fail("a fix needs 'safety': safe or unsafe", item)
                }
                let when = expression(item["when"], "fix.when")
                var edits: [FixSpec.Edit] = []
                if let list = item["edits"]?.sequence, !list.isEmpty {
                    for e in list { if let edit = edit(e) { edits.append(edit) } }
                } else {
                    fail("a fix needs 'edits': a non-empty list of replace, set, remove or append", item["edits"] ?? item)
                }
                if let title, let safety, edits.count == (item["edits"]?.sequence?.count ?? -1) {
                    out.append(FixSpec(title: title, safety: safety, description: string(item, "description", required: false),
                                       when: when, edits: edits, node: item))
                }
            }
            return out
        }

        /// One edit of a fix: `replace`/`with`, `set`/`key`/`value`, `remove`, or `append`/`value`.
        mutating func edit(_ node: Node) -> FixSpec.Edit? {
            let forms: [(String, [String])] = [("replace", ["with"]), ("set", ["key", "value"]), ("remove", []), ("append", ["value"])]
            guard let pairs = node.mapping, let form = forms.first(where: { node[$0.0] != nil }) else {
                fail("an edit is one of {replace, with}, {set, key, value}, {remove} or {append, value}", node)
                return nil
            }
            for p in pairs where !([form.0] + form.1).contains(p.key.text ?? "") {
                fail("unknown key '\(p.key.text ?? "")' in a '\(form.0)' edit; expected \(([form.0] + form.1).joined(separator: ", "))", p.key)
                return nil
            }
            for k in form.1 where node[k] == nil {
                fail("\(form.0 == "append" ? "an" : "a") '\(form.0)' edit needs '\(k)'", node)
                return nil
            }
            guard let target = expression(node[form.0], "fix.\(form.0)") else { return nil }
            switch form.0 {
            case "replace":
                guard let with = expression(node["with"], "fix.with") else { return nil }
                return .replace(target, with: with)
            case "set":
                let keyNode = node["key"]!
                var path: [String] = []
                if let t = keyNode.text, !t.isEmpty {
                    path = t.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                } else if let items = keyNode.sequence {
                    path = items.compactMap(\.text)
                    if path.count != items.count { path = [] }
                }
                guard !path.isEmpty, !path.contains(where: \.isEmpty) else {
                    fail("'key' must be a key, keys joined by '.', or a list of keys", keyNode)
                    return nil
                }
                guard let value = expression(node["value"], "fix.value") else { return nil }
                return .set(target, path: path, value: value)
            case "remove":
                return .remove(target)
            default:
                guard let value = expression(node["value"], "fix.value") else { return nil }
                return .append(target, value: value)
            }
        }

        mutating func examples(_ node: Node?) -> [RuleExample] {
            guard let node else { return [] }
            guard let items = node.sequence else {
                fail("'examples' must be a list", node)
                return []
            }
            var out: [RuleExample] = []
            for item in items {
                guard item.mapping != nil else {
                    fail("an example is a mapping with 'name' and 'yaml' (or 'files')", item)
                    continue
                }
                for p in item.mapping! where !["name", "yaml", "files", "today", "fixed"].contains(p.key.text ?? "") {
                    fail("unknown key '\(p.key.text ?? "")' in example; expected name, yaml, files, today or fixed", p.key)
                }
                var today: Int?
                if let t = item["today"] {
                    if let text = t.text, let days = DateValue.parse(text) { today = days } else {
                        fail("'today' must be a date written YYYY-MM-DD", t)
                    }
                }
                let name = string(item, "name", required: true) ?? ""
                var files: [RuleExample.File] = []
                if let y = item["yaml"] {
                    if let t = y.text { files.append(.init(name: "example.yaml", text: t, node: y)) } else { fail("'yaml' must be a string of YAML", y) }
                }
                if let f = item["files"] {
                    if let pairs = f.mapping {
                        for p in pairs {
                            if let n = p.key.text, let t = p.value.text { files.append(.init(name: n, text: t, node: p.value)) } else {
                                fail("'files' maps a file name to its YAML text", p.key)
                            }
                        }
                    } else {
                        fail("'files' must be a mapping of file name to YAML text", f)
                    }
                }
                if files.isEmpty { fail("an example needs 'yaml' or 'files'", item) }
                var fixed: [(name: String, text: String)] = []
                if let fx = item["fixed"] {
                    if item["yaml"] != nil, let t = fx.text {
                        fixed.append(("example.yaml", t))
                    } else if item["files"] != nil, let pairs = fx.mapping {
                        for p in pairs {
                            if let n = p.key.text, let t = p.value.text, files.contains(where: { $0.name == n }) {
                                fixed.append((n, t))
                            } else {
                                fail("'fixed' maps a file name of 'files' to its YAML text after fixing", p.key)
                            }
                        }
                    } else {
                        fail("'fixed' is the YAML text after fixing (with 'files', a mapping of file name to text)", fx)
                    }
                }
                out.append(RuleExample(name: name, files: files, node: item, today: today, fixed: fixed))
            }
            return out
        }

        func isCode(_ s: String) -> Bool {
            let u = Array(s.utf8)
            guard u.count >= 3, u.count <= 16, u[0] >= 65 && u[0] <= 90 else { return false }
            return u.allSatisfy { ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) }
                && u.contains { $0 >= 48 && $0 <= 57 }
        }

        func isKebab(_ s: String) -> Bool {
            !s.isEmpty && s.first != "-" && s.last != "-"
                && s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        }

        func isIdentifier(_ s: String) -> Bool {
            guard let f = s.utf8.first, (f >= 97 && f <= 122) || (f >= 65 && f <= 90) || f == 95 else { return false }
            return s.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
        }
    }
}
