import Testing
@testable import PolicyEngine
@testable import TenantLint
import YAMLSource

/// The built-in rules are compiled from parse trees made at build time
/// (`BuiltinRuleTrees`, by scripts/embed-rules), not by lexing and parsing
/// their expressions. Each tree must be exactly what the parser makes of
/// its text, and every expression compiling the pack parses must have one.
@Suite struct BuiltinRuleTreesTests {
    /// Every expression text of the built-in rules and functions, as the
    /// generator lists them, each once.
    static func packTexts() throws -> [String] {
        var texts: [String] = []
        for r in RulePack.builtinRuleSources(examples: false) {
            let rule = try #require(RuleFileLoader.load(RulePack.builtinNodes(r.path, r.text)).rule, "\(r.path)")
            texts += ExpressionTrees.texts(of: rule)
        }
        let functions = try #require(BuiltinRulePack.files.first { $0.path == RulePack.functionsPath })
        texts += ExpressionTrees.functionTexts(RulePack.builtinNodes(functions.path, functions.text))
        var seen = Set<String>()
        return texts.filter { seen.insert($0).inserted }
    }

    @Test func everyTreeIsWhatTheParserMakesOfItsText() throws {
        #expect(BuiltinRuleTrees.entries.count >= 400)
        for e in BuiltinRuleTrees.entries {
            #expect(ExpressionTrees.roundTrips(e.text, tree: e.tree), "run scripts/embed-rules: \(e.text)")
            #expect(try ExpressionTrees.encode(e.text) == e.tree.description, "run scripts/embed-rules: \(e.text)")
        }
    }

    @Test func everyExpressionOfThePackHasATreeAndNoOtherDoes() throws {
        let texts = try Self.packTexts()
        let tabled = BuiltinRuleTrees.entries.map(\.text)
        #expect(tabled.count == texts.count && Set(tabled) == Set(texts), "run scripts/embed-rules")
        #expect(RulePack.builtinTrees.count == texts.count)
        for t in texts { #expect(RulePack.builtinTrees.hasTree(for: t), "\(t)") }
        let functions = try #require(BuiltinRulePack.files.first { $0.path == RulePack.functionsPath })
        let functionTexts = ExpressionTrees.functionTexts(RulePack.builtinNodes(functions.path, functions.text))
        #expect(functionTexts.count >= 10)
        #expect(functionTexts.allSatisfy(RulePack.builtinTrees.hasTree(for:)))
    }

    /// A text canonically equivalent to a tabled one (equal as `String`s)
    /// but written with other bytes is parsed, not given the table's tree:
    /// its offsets and names would be another text's.
    @Test func aTreeIsOnlyForTheBytesItWasMadeFrom() throws {
        let text = try #require(BuiltinRuleTrees.entries.map(\.text).first { $0.contains("K") })
        var scalars = String.UnicodeScalarView()
        for u in text.unicodeScalars { scalars.append(u == "K" ? "\u{212A}" : u) }
        let kelvin = String(scalars)
        #expect(kelvin == text)
        #expect(!kelvin.utf8.elementsEqual(text.utf8))
        #expect(RulePack.builtinTrees.hasTree(for: text))
        #expect(!RulePack.builtinTrees.hasTree(for: kelvin))
    }

    @Test func theLoadedPackCarriesTheTrees() throws {
        let pack = try RulePack.builtin()
        #expect(pack.library.trees?.count == BuiltinRuleTrees.entries.count)
    }

    /// A tree is taken for exactly its text; a damaged one is not taken
    /// (the text is parsed).
    @Test func aTreeIsUsedForItsTextOnlyAndOnlyWhenWhole() throws {
        func value(_ text: String, _ trees: ExpressionTrees?) throws -> Int? {
            var library = FunctionLibrary.standard
            library.trees = trees
            let v = try ExpressionCompiler(library: library).compile(text, scope: Scope([])).constantValue
            guard let v, case .int(let i) = v.kind else { return nil }
            return i
        }
        // The tree of "7" filed under "1 + 2": taken for that text only, which shows it is used.
        let seven = ExpressionTrees([(text: "1 + 2", tree: "i01>")])
        #expect(try ExpressionTrees.encode("7") == "i01>")
        #expect(try value("1 + 2", seven) == 7)
        #expect(try value("1 + 2 ", seven) == 3)
        #expect(try value("1 + 2", nil) == 3)
        // Damaged: a truncated node, a trailing byte, an unknown tag, a bad operator.
        for bad: StaticString in ["b0", "i01>x", "?01>", "b05D21i01>i41>", ""] {
            #expect(try value("1 + 2", ExpressionTrees([(text: "1 + 2", tree: bad)])) == 3, "\(bad)")
            #expect(ExpressionTrees.decode(bad) == nil, "\(bad)")
        }
    }

    /// Every kind of node survives the round trip, positions included.
    @Test func everyKindOfNodeRoundTrips() throws {
        let texts = [
            "null", "true", "false", "0", "-9223372036854775808", "9223372036854775807", "1.5e300", "-0.25", ".5",
            "'a\\u00e9\\n\"'", "r'\\d+'", "\"\"\"x\ny\"\"\"", "x", "[1, [2], []]", "{'a': 1, 2: [x]}", "!x", "-x", "- -x",
            "a || b && c == d != e < f <= g > h >= i in j + k - l * m / n % o", "a ? b : c ? d : e",
            "doc.spec.tenant", "a[0][b]", "f()", "f(1, g(2))", "x.all(y, y > 1)", "x.map(k, v, k + v).size()",
            "(((1)))", "size(\"é\u{1F600}\") + 1", "// a comment\n1",
        ]
        for t in texts {
            #expect(ExpressionTrees.roundTrips(t, encoded: try ExpressionTrees.encode(t)), "\(t)")
        }
    }
}
