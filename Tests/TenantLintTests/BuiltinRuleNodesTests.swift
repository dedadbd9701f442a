import Foundation
import Testing
@testable import PolicyEngine
@testable import TenantLint
import YAMLSource

/// `lint` loads the built-in pack from node tables made at build time
/// (`BuiltinRuleNodes`, by scripts/embed-rules), not by parsing YAML. Each
/// table must rebuild exactly the tree the loader makes of its file.
@Suite struct BuiltinRuleNodesTests {
    @Test func everyFileOfThePackHasATableThatRebuildsItsTree() throws {
        #expect(BuiltinRuleNodes.files.count == BuiltinRulePack.files.count)
        #expect(BuiltinRuleNodes.files.count >= 63)
        for (file, nodes) in zip(BuiltinRulePack.files, BuiltinRuleNodes.files) {
            #expect(nodes.path == file.path, "run scripts/embed-rules")
            let parsed = Loader().load(Source(path: file.path, text: file.text))
            let rebuilt = try #require(NodeTable.decode(Source(path: file.path, text: file.text), table: nodes.table, texts: nodes.texts),
                                       "\(file.path): its node table does not fit its text: run scripts/embed-rules")
            #expect(rebuilt.differences(from: parsed) == [], "\(file.path)")
            #expect(rebuilt.documents.count == 1, "\(file.path)")
        }
    }

    /// The schema, the functions file and every rule file as `lint` loads
    /// them (`RulePack.builtinNodes`) give the same rules, at the same
    /// positions, as parsing their text.
    @Test func rulesFromTablesAreTheRulesFromText() throws {
        let rules = RulePack.builtinRuleSources(examples: false)
        #expect(rules.count >= 60)
        for r in rules {
            let fromTable = RuleFileLoader.load(RulePack.builtinNodes(r.path, r.text))
            let fromText = RuleFileLoader.load(Source(path: r.path, text: r.text))
            #expect(fromTable.errors.isEmpty && fromText.errors.isEmpty, "\(r.path)")
            let a = try #require(fromTable.rule), b = try #require(fromText.rule)
            #expect(RulePackStartupTests.describe(a) == RulePackStartupTests.describe(b), "\(r.path)")
            #expect(a.code == String(r.path.split(separator: "/").last!.prefix { $0 != "-" }))
        }
        let schemaText = try #require(BuiltinRulePack.files.first { $0.path == RulePack.schemaPath }?.text)
        let schemaTable = RulePack.builtinNodes(RulePack.schemaPath, schemaText)
        #expect(schemaTable.differences(from: Loader().load(Source(path: RulePack.schemaPath, text: schemaText))) == [])
        #expect(try JSONSchema.load(schemaTable).definitions.count == JSONSchema.load(Source(path: RulePack.schemaPath, text: schemaText)).definitions.count)
    }

    /// A text the table was not made for (an edited rule file before
    /// scripts/embed-rules ran) is parsed instead.
    @Test func aTextWithoutItsTableIsParsed() throws {
        let file = try #require(BuiltinRulePack.files.first { RulePack.isRuleFile($0.path) })
        let edited = file.text + "# a comment added\n"
        let loaded = RulePack.builtinNodes(file.path, edited)
        #expect(loaded.differences(from: Loader().load(Source(path: file.path, text: edited))) == [])
        #expect(loaded.comments.last.map { String(decoding: loaded.source.bytes[$0.bytes], as: UTF8.self) } == "# a comment added")
    }
}
