import YAMLSource

/// A compiled JSON Schema (the draft 2020-12 subset tenantlint uses), loaded
/// from JSON or YAML text. One `SchemaNode` per schema object; `$ref`s are
/// resolved to the `$defs` node after loading.
public final class SchemaNode: @unchecked Sendable {
    public enum JSONType: String, Sendable, CaseIterable {
        case string, boolean, integer, number, array, object, null
    }

    @exclusivity(unchecked) public internal(set) var types: [JSONType]? {
        didSet { typeMask = types.map { $0.reduce(0) { $0 | $1.bit } } ?? 0 }
    }
    /// `types` as bits (`JSONType.bit`), for the validator.
    @exclusivity(unchecked) var typeMask: UInt8 = 0
    /// Which keywords this node has, for the validator: it tests a bit
    /// instead of reading (and retaining) each keyword's value. Set by
    /// `plan()` once the schema is loaded; every check until then.
    @exclusivity(unchecked) var checks: Checks = .all
    @exclusivity(unchecked) public internal(set) var enumValues: [ScalarValue]?
    @exclusivity(unchecked) public internal(set) var constValue: ScalarValue?
    /// Properties in the order written (for suggestions and docs).
    @exclusivity(unchecked) public internal(set) var propertyOrder: [String] = []
    @exclusivity(unchecked) public internal(set) var properties: [String: SchemaNode] = [:]
    /// `properties` again, for the validator's lookups (by `KeyPrint`, not by hash).
    @exclusivity(unchecked) var propertyTable = KeyTable<SchemaNode>()
    /// True when `propertyOrder` names a property twice (`properties` then
    /// keeps the last schema, `propertyTable` both): false means entry `i`
    /// of `propertyTable` is `propertyOrder[i]` and its `properties` schema.
    @exclusivity(unchecked) var repeatsProperty = false
    @exclusivity(unchecked) public internal(set) var required: [String] = []
    @exclusivity(unchecked) public internal(set) var additionalPropertiesAllowed = true
    /// `additionalProperties` given as a schema: what other keys' values must be.
    @exclusivity(unchecked) public internal(set) var additionalSchema: SchemaNode?
    /// `patternProperties`; a pattern of the form `^literal` is matched as a prefix.
    @exclusivity(unchecked) public internal(set) var patternProperties: [(prefix: String, schema: SchemaNode)] = []
    @exclusivity(unchecked) public internal(set) var items: SchemaNode?
    @exclusivity(unchecked) public internal(set) var minimum: Double?
    @exclusivity(unchecked) public internal(set) var maximum: Double?
    @exclusivity(unchecked) public internal(set) var minItems: Int?
    @exclusivity(unchecked) public internal(set) var maxLength: Int?
    @exclusivity(unchecked) public internal(set) var uniqueItems = false
    @exclusivity(unchecked) public internal(set) var pattern: PatternMatcher?
    @exclusivity(unchecked) public internal(set) var format: String? {
        didSet { formatKind = format.flatMap(Formats.Kind.init(rawValue:)) }
    }
    /// `format` when it is one tenantlint checks.
    @exclusivity(unchecked) var formatKind: Formats.Kind?
    @exclusivity(unchecked) public internal(set) var anyOf: [SchemaNode] = []
    @exclusivity(unchecked) public internal(set) var oneOf: [SchemaNode] = []
    @exclusivity(unchecked) public internal(set) var allOf: [SchemaNode] = []
    @exclusivity(unchecked) public internal(set) var ifSchema: SchemaNode?
    @exclusivity(unchecked) public internal(set) var thenSchema: SchemaNode?
    @exclusivity(unchecked) public internal(set) var elseSchema: SchemaNode?
    @exclusivity(unchecked) public internal(set) var refName: String?
    @exclusivity(unchecked) public internal(set) var ref: SchemaNode?
    /// The `default`, as the schema file's node.
    @exclusivity(unchecked) public internal(set) var defaultNode: Node?
    @exclusivity(unchecked) public internal(set) var description: String?
    @exclusivity(unchecked) public internal(set) var deprecated = false
    @exclusivity(unchecked) public internal(set) var deprecationMessage: String?
    /// `x-tenantlint-replacedBy`: the sibling key that replaces this deprecated
    /// one with the same meaning (TL007 then offers to rename the key).
    @exclusivity(unchecked) public internal(set) var replacedBy: String?
    /// `x-tenantlint-code`: report violations at this node with this code.
    @exclusivity(unchecked) public internal(set) var code: String?

    init() {}

    /// The keywords a node has, as bits.
    struct Checks: OptionSet {
        let rawValue: UInt16
        static let ref = Checks(rawValue: 1 << 0)
        static let types = Checks(rawValue: 1 << 1)
        /// `const` or `enum`.
        static let values = Checks(rawValue: 1 << 2)
        /// `format`, `pattern` or `maxLength`.
        static let string = Checks(rawValue: 1 << 3)
        /// `minimum` or `maximum`.
        static let number = Checks(rawValue: 1 << 4)
        /// `minItems`, `uniqueItems` or `items`.
        static let sequence = Checks(rawValue: 1 << 5)
        /// Properties, required keys or a rule for other keys.
        static let object = Checks(rawValue: 1 << 6)
        static let allOf = Checks(rawValue: 1 << 7)
        /// `if`.
        static let condition = Checks(rawValue: 1 << 8)
        /// `anyOf` or `oneOf`.
        static let branches = Checks(rawValue: 1 << 9)
        /// `deprecated`, here or on the `$ref` target.
        static let deprecated = Checks(rawValue: 1 << 10)
        static let all = Checks(rawValue: 0x7FF)
    }

    /// Sets `checks` from the keywords (after `$ref`s are resolved).
    func plan() {
        var c: Checks = []
        if ref != nil { c.insert(.ref) }
        if types != nil { c.insert(.types) }
        if constValue != nil || enumValues != nil { c.insert(.values) }
        if formatKind != nil || pattern != nil || maxLength != nil { c.insert(.string) }
        if minimum != nil || maximum != nil { c.insert(.number) }
        if minItems != nil || uniqueItems || items != nil { c.insert(.sequence) }
        if !properties.isEmpty || !required.isEmpty || !additionalPropertiesAllowed || additionalSchema != nil {
            c.insert(.object)
        }
        if !allOf.isEmpty { c.insert(.allOf) }
        if ifSchema != nil { c.insert(.condition) }
        if !anyOf.isEmpty || !oneOf.isEmpty { c.insert(.branches) }
        if deprecated || ref?.deprecated == true { c.insert(.deprecated) }
        checks = c
    }
}

extension SchemaNode.JSONType {
    /// This type's bit in `SchemaNode.typeMask`.
    var bit: UInt8 {
        switch self {
        case .string: return 1
        case .boolean: return 2
        case .integer: return 4
        case .number: return 8
        case .array: return 16
        case .object: return 32
        case .null: return 64
        }
    }
}

/// A `pattern`: a literal-prefix fast path, else a compiled regular expression.
public final class PatternMatcher: @unchecked Sendable {
    public let source: String
    private let regex: Regex<AnyRegexOutput>

    init(_ source: String) throws {
        self.source = source
        self.regex = try Regex(source)
    }

    /// Files are checked on several threads; one compiled regex serves them
    /// all, and matching it is not documented as thread-safe.
    private let lock = Lock()

    public func matches(_ s: String) -> Bool {
        lock.withLock { (try? regex.firstMatch(in: s)) != nil }
    }
}

/// A problem in a schema file itself (a project bug or a bad user schema).
public struct SchemaLoadError: Error, CustomStringConvertible {
    public let message: String
    public let location: Location
    public var description: String {
        "\(location.file):\(location.range.start.line):\(location.range.start.column): \(message)"
    }
}

/// The root of a loaded schema with its definitions.
public final class JSONSchema: @unchecked Sendable {
    public let root: SchemaNode
    public let definitions: [String: SchemaNode]

    init(root: SchemaNode, definitions: [String: SchemaNode]) {
        self.root = root
        self.definitions = definitions
    }

    /// Loads a schema from JSON (or YAML) text.
    public static func load(_ source: Source) throws -> JSONSchema {
        try load(Loader().load(source))
    }

    /// Loads a schema from its nodes (as `Loader` or `NodeTable` gives them).
    public static func load(_ result: LoadResult) throws -> JSONSchema {
        let source = result.source
        if let p = result.problems.first {
            throw SchemaLoadError(message: p.message, location: Location(file: source.path, range: p.range))
        }
        guard let rootNode = result.documents.first?.root, rootNode.mapping != nil else {
            throw SchemaLoadError(message: "a schema must be a JSON object",
                                  location: Location(file: source.path, range: SourceRange(at: source.position(ofByte: 0))))
        }
        var compiler = SchemaCompiler()
        var defs: [String: SchemaNode] = [:]
        if let defsNode = rootNode["$defs"], let pairs = defsNode.mapping {
            for pair in pairs { defs[pair.key.text ?? ""] = SchemaNode() }
            for pair in pairs { try compiler.fill(defs[pair.key.text ?? ""]!, from: pair.value) }
        }
        let root = SchemaNode()
        try compiler.fill(root, from: rootNode)
        for (node, name, at) in compiler.refs {
            guard let target = defs[name] else {
                throw SchemaLoadError(message: "$ref '#/$defs/\(name)' is not defined", location: Location(at))
            }
            node.ref = target
        }
        for node in compiler.filled { node.plan() }
        return JSONSchema(root: root, definitions: defs)
    }
}

private struct SchemaCompiler {
    var refs: [(SchemaNode, String, Node)] = []
    /// Every node filled, for `SchemaNode.plan()`.
    var filled: [SchemaNode] = []

    func error(_ message: String, _ node: Node) -> SchemaLoadError {
        SchemaLoadError(message: message, location: Location(node))
    }

    func scalarValues(_ node: Node) throws -> [ScalarValue] {
        guard let items = node.sequence else { throw error("expected a list", node) }
        return try items.map { item in
            guard let s = item.scalar else { throw error("only scalar enum values are supported", item) }
            return s.value
        }
    }

    func number(_ node: Node) throws -> Double {
        switch node.scalar?.value {
        case .int(let i): return Double(i)
        case .float(let f): return f
        default: throw error("expected a number", node)
        }
    }

    mutating func compile(_ node: Node) throws -> SchemaNode {
        let s = SchemaNode()
        try fill(s, from: node)
        return s
    }

    mutating func fill(_ s: SchemaNode, from node: Node) throws {
        filled.append(s)
        guard let pairs = node.mapping else {
            if node.scalar?.value == .bool(true) { return }  // `true` schema: anything
            throw error("a schema must be an object", node)
        }
        for pair in pairs {
            let key = pair.key.text ?? ""
            let v = pair.value
            // The keywords most used in the built-in schema first: a
            // `switch` on a string compares the cases in turn.
            switch key {
            case "description", "markdownDescription":
                if s.description == nil || key == "description" { s.description = v.text }
            case "type":
                if let list = v.sequence {
                    s.types = try list.map { try jsonType($0) }
                } else {
                    s.types = [try jsonType(v)]
                }
            case "$ref":
                let ref = v.text ?? ""
                guard ref.hasPrefix("#/$defs/") else { throw error("only local '#/$defs/Name' references are supported", v) }
                s.refName = String(ref.dropFirst("#/$defs/".count))
                refs.append((s, s.refName!, v))
            case "default": s.defaultNode = v
            case "properties":
                guard let props = v.mapping else { throw error("expected an object", v) }
                s.properties.reserveCapacity(s.properties.count + props.count)
                for p in props {
                    let name = p.key.text ?? ""
                    s.propertyOrder.append(name)
                    let schema = try compile(p.value)
                    if s.properties.updateValue(schema, forKey: name) != nil { s.repeatsProperty = true }
                    s.propertyTable.append(name, schema)
                }
            case "patternProperties":
                guard let props = v.mapping else { throw error("expected an object", v) }
                for p in props {
                    let pattern = p.key.text ?? ""
                    guard pattern.hasPrefix("^"), !Self.hasPatternSyntax(pattern.dropFirst()) else {
                        throw error("only literal-prefix patternProperties such as \"^x-\" are supported", p.key)
                    }
                    s.patternProperties.append((String(pattern.dropFirst()), try compile(p.value)))
                }
            case "additionalProperties":
                if case .bool(let b)? = v.scalar?.value {
                    s.additionalPropertiesAllowed = b
                } else {
                    s.additionalSchema = try compile(v)
                }
            case "items": s.items = try compile(v)
            case "enum": s.enumValues = try scalarValues(v)
            case "required":
                guard let list = v.sequence else { throw error("expected a list", v) }
                s.required = list.compactMap(\.text)
            case "format": s.format = v.text
            case "minItems": s.minItems = Int(try number(v))
            case "deprecated": s.deprecated = v.scalar?.value == .bool(true)
            case "deprecationMessage": s.deprecationMessage = v.text
            case "const":
                guard let sc = v.scalar else { throw error("only scalar const values are supported", v) }
                s.constValue = sc.value
            case "minimum": s.minimum = try number(v)
            case "anyOf": s.anyOf = try (v.sequence ?? []).map { try compile($0) }
            case "if": s.ifSchema = try compile(v)
            case "then": s.thenSchema = try compile(v)
            case "$schema", "$id", "title", "examples", "$defs", "$comment":
                break
            case "maximum": s.maximum = try number(v)
            case "x-tenantlint-code": s.code = v.text
            case "uniqueItems": s.uniqueItems = v.scalar?.value == .bool(true)
            case "allOf": s.allOf = try (v.sequence ?? []).map { try compile($0) }
            case "pattern":
                do { s.pattern = try PatternMatcher(v.text ?? "") } catch {
                    throw self.error("invalid pattern: \(error)", v)
                }
            case "maxLength": s.maxLength = Int(try number(v))
            case "oneOf": s.oneOf = try (v.sequence ?? []).map { try compile($0) }
            case "else": s.elseSchema = try compile(v)
            case "x-tenantlint-replacedBy": s.replacedBy = v.text
            default:
                throw error("unsupported schema keyword '\(key)'", pair.key)
            }
        }
    }

    /// Whether `text` holds a character of regular-expression syntax
    /// (`^$.*+?()[]{}|\`); an ASCII text is read as bytes, not characters
    /// (splitting the schema's patterns into characters cost more).
    static func hasPatternSyntax(_ text: Substring) -> Bool {
        guard text.utf8.allSatisfy({ $0 < 0x80 }) else { return text.contains(where: { "^$.*+?()[]{}|\\".contains($0) }) }
        return text.utf8.contains { b in
            switch b {
            case UInt8(ascii: "^"), UInt8(ascii: "$"), UInt8(ascii: "."), UInt8(ascii: "*"), UInt8(ascii: "+"),
                 UInt8(ascii: "?"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "|"), UInt8(ascii: "\\"):
                return true
            default:
                return false
            }
        }
    }

    func jsonType(_ node: Node) throws -> SchemaNode.JSONType {
        guard let t = node.text, let type = SchemaNode.JSONType(rawValue: t) else {
            throw error("unknown type '\(node.text ?? "")'", node)
        }
        return type
    }
}
