import Testing
@testable import PolicyEngine
import YAMLSource

/// A schema node's properties as the schema views read them: entry `i` of
/// `propertyTable` is `propertyOrder[i]` unless a name is repeated (then
/// `properties` keeps the last schema, and views read that one); and the
/// literal-prefix check of `patternProperties`, ASCII or not.
@Suite struct SchemaPropertyTableTests {
    static func load(_ text: String) throws -> JSONSchema {
        try JSONSchema.load(Source(path: "schema.yaml", text: text))
    }

    @Test func aViewReadsEachPropertyOnce() throws {
        let schema = try Self.load("""
            type: object
            properties:
              b: {type: string}
              a: {type: integer}
            """)
        let root = schema.root
        #expect(!root.repeatsProperty)
        #expect(root.propertyOrder == ["b", "a"])
        let view = SchemaView(SchemaSet(nodes: [root]))
        #expect(view.properties.keys == ["b", "a"])
        #expect(view.properties.values.map(\.count) == [1, 1])
        #expect(view.properties.values[0][0] === root.properties["b"])
        #expect(view.properties.values[1][0] === root.properties["a"])
    }

    @Test func aRepeatedPropertyReadsItsLastSchema() throws {
        // A schema file cannot repeat a name (a duplicate key is an error)...
        #expect(throws: SchemaLoadError.self) {
            try Self.load("type: object\nproperties:\n  a: {type: string}\n  a: {type: boolean}\n")
        }
        // ...but a node filled otherwise is read as `properties` has it.
        let root = SchemaNode(), first = SchemaNode(), b = SchemaNode(), last = SchemaNode()
        root.propertyOrder = ["a", "b", "a"]
        root.properties = ["a": last, "b": b]
        root.propertyTable.append("a", first)
        root.propertyTable.append("b", b)
        root.propertyTable.append("a", last)
        root.repeatsProperty = true
        let view = SchemaView(SchemaSet(nodes: [root]))
        #expect(view.properties.keys == ["a", "b"])
        #expect(view.properties.values.map(\.count) == [2, 1])
        #expect(view.properties.values[0].allSatisfy { $0 === last })
        #expect(view.properties.values[1][0] === b)
    }

    @Test func patternPropertiesTakeLiteralPrefixesOnly() throws {
        for accepted in ["^x-", "^é-", "^a\u{301}b"] {
            let schema = try Self.load("type: object\npatternProperties:\n  \"\(accepted)\": {type: string}\n")
            #expect(schema.root.patternProperties.map(\.0) == [String(accepted.dropFirst())])
        }
        for rejected in ["x-", "^x.", "^x-(", "^é|", "^a\\\\b", "^x$"] {
            #expect(throws: SchemaLoadError.self) {
                try Self.load("type: object\npatternProperties:\n  \"\(rejected)\": {type: string}\n")
            }
        }
    }
}
