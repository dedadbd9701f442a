import YAMLSource

/// Validates YAML documents against a `JSONSchema`, reporting structural
/// findings at the exact node:
/// TL003 unknown-field, TL004 invalid-value, TL005 missing-field,
/// TL006 yaml11-boolean, TL007 deprecated-field, or a node's own
/// `x-tenantlint-code` (TL008 unknown-kind for apiVersion and kind).
public struct SchemaValidator {
    public let schema: JSONSchema
    /// Collections cut short by a syntax error: required keys are not checked there.
    var partial: Set<ObjectIdentifier> = []
    /// True when only whether the node conforms counts (`conforms`): a
    /// failed check then adds `failed`, without making its message, its
    /// location or its fixes. A check that fails adds at least one finding
    /// in either mode (one when judging), so a node conforms exactly when
    /// validating it would find nothing.
    var judging = false

    /// What a failed check adds when `judging`.
    static let failed = Finding(code: "", message: "",
                                location: Location(file: "", range: SourceRange(at: SourcePosition(line: 1, column: 1, offset: 0))))

    public init(schema: JSONSchema) {
        self.schema = schema
    }

    /// Validates one document's root node. `partial` names collections that a
    /// syntax error cut short (`Document.openCollections`).
    public func validate(_ root: Node, partial: Set<ObjectIdentifier> = []) -> [Finding] {
        var out: [Finding] = []
        var pass = self
        pass.partial = partial
        var path = FieldPath()
        pass.validate(root, against: schema.root, path: &path, into: &out)
        // A document whose apiVersion or kind is not ours (a finding with a
        // code of the schema's own, TL008) is not judged for the top-level
        // keys that format would need: one finding, not a cascade.
        let ownCodes = [StructuralCheck.unknownField, .invalidValue, .missingField, .yaml11Boolean, .deprecatedField].map(\.code)
        if out.contains(where: { !ownCodes.contains($0.code) }) {
            let rootRange = Location(root).range
            out.removeAll { $0.code == StructuralCheck.missingField.code && $0.location.range == rootRange }
        }
        return out
    }

    /// The path of a node for messages: `spec.sharePoint.sites[0]`. Kept as
    /// components and rendered only for a finding.
    struct FieldPath: CustomStringConvertible {
        enum Component {
            /// The key of pair `index` of `mapping`, read only when the path
            /// is rendered. The mapping is not retained: a component lives
            /// while its mapping is validated (its caller holds it), and
            /// holding no reference makes pushing and popping it free of a
            /// retain and a release (of the mapping, or of a key's text).
            case key(mapping: Unmanaged<Node>, index: Int)
            case index(Int)
        }

        var parts: [Component] = []

        var description: String {
            var s = ""
            for part in parts {
                switch part {
                case .index(let i): s += "[\(i)]"
                case .key(let mapping, let index):
                    let k = mapping._withUnsafeGuaranteedRef { $0.mapping?[index].keyText } ?? ""
                    if k.hasPrefix("[") { s += k } else { s += s.isEmpty ? k : "." + k }
                }
            }
            return s.isEmpty ? "the document" : s
        }
    }

    /// A finding at `node` (`failed` when `judging`: then neither the
    /// message nor the related locations are made).
    func finding(_ code: String, _ message: @autoclosure () -> String, _ node: Node,
                 related: @autoclosure () -> [RelatedLocation] = []) -> Finding {
        if judging { return Self.failed }
        return Finding(code: code, message: message(), location: Location(node), related: related())
    }

    /// True when the node conforms; used for `if` and for choosing a branch.
    func conforms(_ node: Node, to s: SchemaNode) -> Bool {
        var scratch: [Finding] = []
        var strict = self
        strict.partial = []  // a condition must hold on what is actually there
        strict.judging = true
        var path = FieldPath()
        strict.validate(node, against: s, path: &path, into: &scratch)
        return scratch.isEmpty
    }

    static func jsonType(of node: Node) -> SchemaNode.JSONType {
        jsonType(node.valueType)
    }

    static func isYAML11Boolean(_ node: Node) -> Bool {
        guard let s = node.scalar, s.style == .plain else { return false }
        switch s.text.lowercased() {
        case "yes", "no", "on", "off", "y", "n": return true
        default: return false
        }
    }

    static func render(_ v: ScalarValue) -> String {
        switch v {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .float(let f): return String(f)
        case .string(let s): return s
        }
    }

    /// A value as messages show it: at most 100 characters, so a huge
    /// scalar does not become a huge message.
    static func clip(_ s: String) -> String {
        guard s.unicodeScalars.count > 100 else { return s }
        var out = ""
        out.unicodeScalars.append(contentsOf: s.unicodeScalars.prefix(97))
        return out + "… (\(s.unicodeScalars.count) characters)"
    }

    static func quoted(_ node: Node) -> String {
        if let s = node.scalar { return "'\(clip(s.text))'" }
        return node.kindName
    }

    static func typeList(_ types: [SchemaNode.JSONType]) -> String {
        let names = types.map { t -> String in
            switch t {
            case .string: return "a string"
            case .boolean: return "a boolean"
            case .integer: return "an integer"
            case .number: return "a number"
            case .array: return "a list"
            case .object: return "a mapping"
            case .null: return "null"
            }
        }
        return names.count <= 2 ? names.joined(separator: " or ")
            : names.dropLast().joined(separator: ", ") + " or " + names.last!
    }

    /// The JSON type of a node's `valueType`.
    @inline(__always)
    static func jsonType(_ t: Node.ValueType) -> SchemaNode.JSONType {
        switch t {
        case .null: return .null
        case .boolean: return .boolean
        case .integer: return .integer
        case .number: return .number
        case .string: return .string
        case .list: return .array
        case .mapping: return .object
        }
    }

    // Each keyword is tested by a bit of `s.checks` before its value is
    // read: reading a class's array or string property retains it, and
    // most schema nodes have two or three keywords of the twenty.
    func validate(_ node: Node, against s: SchemaNode, path: inout FieldPath, into out: inout [Finding]) {
        let checks = s.checks
        if checks.contains(.ref), let target = s.ref.map(Unmanaged.passUnretained) {
            // `s` holds its target for the whole run: no retain and release.
            target._withUnsafeGuaranteedRef { validate(node, against: $0, path: &path, into: &out) }
        }
        var code: String { s.code ?? StructuralCheck.invalidValue.code }
        let actual = Self.jsonType(node.valueType)
        var field: String { path.description }

        if checks.contains(.types) {
            let mask = s.typeMask
            let ok = mask & actual.bit != 0 || (actual == .integer && mask & SchemaNode.JSONType.number.bit != 0)
            if !ok, let types = s.types {
                if judging {
                    out.append(Self.failed)
                    return
                }
                if types.contains(.boolean) && Self.isYAML11Boolean(node) {
                    let lower = node.text!.lowercased()
                    let fix = ["yes", "on", "y"].contains(lower) ? "true" : "false"
                    var f = finding(StructuralCheck.yaml11Boolean.code,
                        "'\(node.text!)' is a YAML 1.1 boolean; write \(fix) in \(field)", node)
                    if let edit = YAMLEdit.replace(node, with: Value(.bool(fix == "true"))) {
                        f.fixes = [Fix(title: "write \(fix) instead of \(node.text!)", safety: .safe, edits: [edit])]
                    }
                    out.append(f)
                } else {
                    let found = node.scalar != nil ? "\(node.kindName) \(Self.quoted(node))" : node.kindName
                    out.append(finding(code, "\(field) must be \(Self.typeList(types)), not \(found)", node))
                }
                return
            }
        }
        if checks.contains(.values) {
            if let c = s.constValue, node.scalar?.value != c {
                out.append(finding(code, "\(field) must be '\(Self.render(c))', not \(Self.quoted(node))", node))
                return
            }
            if let values = s.enumValues, let sc = node.scalar, !values.contains(sc.value) {
                if judging {
                    out.append(Self.failed)
                    return
                }
                let names = values.map(Self.render)
                var message = "\(Self.quoted(node)) is not a valid \(field); expected one of \(names.joined(separator: ", "))"
                if let guess = Suggestion.closest(to: sc.text, in: names) { message += "; did you mean '\(guess)'?" }
                var f = finding(code, message, node)
                // The same word in another case: the author's meaning is plain.
                if sc.isString {
                    let lower = sc.text.lowercased()
                    let same = values.compactMap { v -> String? in
                        if case .string(let t) = v, t.lowercased() == lower { return t }
                        return nil
                    }
                    if same.count == 1, let edit = YAMLEdit.replace(node, with: Value(.string(same[0]))) {
                        f.fixes = [Fix(title: "write '\(same[0])'", safety: .safe, edits: [edit])]
                    }
                }
                out.append(f)
                return
            }
        }

        switch actual {
        case .string:
            if checks.contains(.string), let text = node.text {
                if let f = s.formatKind, let expected = Formats.check(text, f) {
                    out.append(finding(code, "'\(Self.clip(text))' is not \(expected) in \(field)", node))
                } else if let p = s.pattern, !p.matches(text) {
                    out.append(finding(code, "'\(Self.clip(text))' does not match the pattern \(p.source) of \(field)", node))
                } else if let max = s.maxLength, text.unicodeScalars.count > max {
                    out.append(finding(code, "\(field) is longer than \(max) characters", node))
                }
            }
        case .integer, .number:
            if checks.contains(.number), let sc = node.scalar {
                let number: Double?
                switch sc.value {
                case .int(let i): number = Double(i)
                case .float(let f): number = f
                default: number = nil
                }
                if let n = number {
                    if let min = s.minimum, n < min {
                        out.append(finding(code, "\(field) is \(Self.clip(sc.text)), below the minimum \(Self.trim(min))", node))
                    } else if let max = s.maximum, n > max {
                        out.append(finding(code, "\(field) is \(Self.clip(sc.text)), above the maximum \(Self.trim(max))", node))
                    }
                }
            }
        case .array:
            if checks.contains(.sequence), let items = node.sequence {
                if let min = s.minItems, items.count < min {
                    out.append(finding(code, "\(field) needs at least \(min) item\(min == 1 ? "" : "s")", node))
                }
                if s.uniqueItems {
                    var seen: [String: Node] = [:]
                    for item in items {
                        guard let t = item.text else { continue }
                        if let first = seen[t] {
                            out.append(finding(code, "'\(t)' is listed twice in \(field)", item,
                                               related: [RelatedLocation(location: Location(first), message: "first listed here")]))
                        } else {
                            seen[t] = item
                        }
                    }
                }
                if let itemSchema = s.items {
                    for i in items.indices {
                        path.parts.append(.index(i))
                        // `items` holds the item: no retain and release.
                        Unmanaged.passUnretained(items[i])._withUnsafeGuaranteedRef {
                            validate($0, against: itemSchema, path: &path, into: &out)
                        }
                        path.parts.removeLast()
                    }
                }
            }
        case .object:
            if checks.contains(.object), let pairs = node.mapping {
                validateObject(node, pairs, s, path: &path, into: &out)
            }
        case .boolean, .null:
            break
        }

        if checks.contains(.allOf) {
            for sub in s.allOf { validate(node, against: sub, path: &path, into: &out) }
        }
        if checks.contains(.condition), let cond = s.ifSchema {
            if conforms(node, to: cond) {
                if let t = s.thenSchema { validate(node, against: t, path: &path, into: &out) }
            } else if let e = s.elseSchema {
                validate(node, against: e, path: &path, into: &out)
            }
        }
        if checks.contains(.branches) {
            validateBranches(node, s.anyOf + s.oneOf, path: &path, code: code, into: &out)
        }
    }

    static func trim(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }

    func validateObject(_ node: Node, _ pairs: [Node.Pair], _ s: SchemaNode, path: inout FieldPath, into out: inout [Finding]) {
        var field: String { path.description }
        // Read once: reading a class's struct property copies it, retaining
        // its three arrays (and releasing them after), once per pair.
        let properties = s.propertyTable
        let mapping = Unmanaged.passUnretained(node)
        for i in pairs.indices {
            // The pair is read in place (`pairs[i]`, not copied out), and a
            // property is found by comparing its name with the key in the
            // key table: no retain and release of the pair or the key's text.
            guard pairs[i].keyIsScalar else {
                let pair = pairs[i]
                out.append(finding(StructuralCheck.invalidValue.code, "keys in \(field) must be strings, not a \(pair.key.kindName)", pair.key))
                continue
            }
            if let slot = properties.index(print: pairs[i].keyPrint, where: { pairs[i].keyHasText($0) }) {
                // `properties` holds the property's schema and `pairs` the
                // value: both are passed on without a retain and a release.
                let prop = Unmanaged.passUnretained(properties.values[slot])
                prop._withUnsafeGuaranteedRef { prop in
                    pairs[i].unretainedValue._withUnsafeGuaranteedRef { value in
                        validateProperty(value, mapping: mapping, index: i, pairs: pairs, prop, path: &path, into: &out)
                    }
                }
                continue
            }
            let pair = pairs[i]
            let key = pair.keyText!
            if let pp = s.patternProperties.first(where: { key.hasPrefix($0.prefix) }) {
                path.parts.append(.key(mapping: mapping, index: i))
                validate(pair.value, against: pp.schema, path: &path, into: &out)
                path.parts.removeLast()
            } else if let extra = s.additionalSchema {
                path.parts.append(.key(mapping: mapping, index: i))
                validate(pair.value, against: extra, path: &path, into: &out)
                path.parts.removeLast()
            } else if !s.additionalPropertiesAllowed && !hasPropertiesElsewhere(s) {
                if judging {
                    out.append(Self.failed)
                    continue
                }
                var message = "unknown field '\(key)' in \(field)"
                if let guess = Suggestion.closest(to: key, in: s.propertyOrder) {
                    message += "; did you mean '\(guess)'?"
                }
                var f = finding(StructuralCheck.unknownField.code, message, pair.key)
                if let guess = Suggestion.unique(to: key, in: s.propertyOrder), !pairs.contains(where: { $0.keyHasText(guess) }),
                   let edit = YAMLEdit.renameKey(pair.key, to: guess) {
                    f.fixes = [Fix(title: "rename '\(key)' to '\(guess)'", safety: .unsafe, edits: [edit])]
                }
                out.append(f)
            }
        }
        if !partial.isEmpty && partial.contains(ObjectIdentifier(node)) { return }
        for name in s.required where node[name] == nil {
            out.append(finding(StructuralCheck.missingField.code, "missing required field '\(name)' in \(field)", node))
        }
    }

    /// A pair's value against its property's schema `prop` (with the
    /// deprecation finding, on the key, first): the pair is
    /// `pairs[index]`, of the mapping node `mapping`.
    @inline(__always)
    func validateProperty(_ value: Node, mapping: Unmanaged<Node>, index: Int, pairs: [Node.Pair], _ prop: SchemaNode,
                          path: inout FieldPath, into out: inout [Finding]) {
        if prop.checks.contains(.deprecated) {
            if judging {
                out.append(Self.failed)
            } else {
                let pair = pairs[index]
                let key = pair.keyText!
                let target = prop.ref ?? prop
                let why = prop.deprecationMessage ?? target.deprecationMessage ?? "it is deprecated"
                var f = finding(StructuralCheck.deprecatedField.code, "'\(key)' is deprecated: \(why)", pair.key)
                if let new = prop.replacedBy ?? target.replacedBy, !pairs.contains(where: { $0.keyHasText(new) }),
                   let edit = YAMLEdit.renameKey(pair.key, to: new) {
                    f.fixes = [Fix(title: "rename '\(key)' to '\(new)'", safety: .safe, edits: [edit])]
                }
                out.append(f)
            }
        }
        path.parts.append(.key(mapping: mapping, index: index))
        validate(value, against: prop, path: &path, into: &out)
        path.parts.removeLast()
    }

    /// An object schema that lists no properties of its own but refers
    /// elsewhere is not the one to judge unknown keys.
    func hasPropertiesElsewhere(_ s: SchemaNode) -> Bool {
        s.properties.isEmpty && (s.ref != nil || !s.allOf.isEmpty)
    }

    func validateBranches(_ node: Node, _ branches: [SchemaNode], path: inout FieldPath, code: String, into out: inout [Finding]) {
        var firstTypeMatch: [Finding]?
        let actual = Self.jsonType(node.valueType)
        for b in branches {
            var scratch: [Finding] = []
            validate(node, against: b, path: &path, into: &scratch)
            if scratch.isEmpty { return }
            if judging { continue }  // only whether one branch fits counts
            let types = (b.ref ?? b).types ?? b.types
            let typeMatches = types.map { $0.contains(actual) || (actual == .integer && $0.contains(.number)) } ?? true
            if typeMatches && firstTypeMatch == nil
                && !scratch.contains(where: { $0.location.range == node.range && $0.message.contains(" must be ") && $0.code == code }) {
                firstTypeMatch = scratch
            }
        }
        if judging {
            out.append(Self.failed)
            return
        }
        if let best = firstTypeMatch {
            out.append(contentsOf: best)
            return
        }
        let allTypes = branches.flatMap { ($0.ref ?? $0).types ?? $0.types ?? [] }
        var unique: [SchemaNode.JSONType] = []
        for t in allTypes where !unique.contains(t) { unique.append(t) }
        let consts = branches.compactMap { ($0.ref ?? $0).constValue ?? $0.constValue }.map(Self.render)
        let field = path.description
        var expected = unique.isEmpty ? "another value" : Self.typeList(unique)
        if !consts.isEmpty { expected += " (\(consts.map { "'\($0)'" }.joined(separator: ", ")))" }
        let found = node.scalar != nil ? "\(node.kindName) \(Self.quoted(node))" : node.kindName
        out.append(finding(code, "\(field) must be \(expected), not \(found)", node))
    }
}
