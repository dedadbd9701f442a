import Testing
@testable import TenantLint
import YAMLSource

/// Inputs found by the fuzz targets (scripts/fuzz, docs/fuzzing.md), minimized,
/// with what must hold for them now.
@Suite struct FuzzRegressionTests {
    /// Compiles a user rule and returns its one load error as
    /// `line:col: message`, after checking that the position's line, column
    /// and byte offset agree (the property the rule-file fuzz target checks).
    func loadError(_ text: String) -> String {
        guard case .failure(let e) = RulePack.loadAll(userRules: [RulePack.RuleSource(path: "r.yaml", text: text)]),
              e.errors.count == 1, let error = e.errors.first else {
            return "expected exactly one load error"
        }
        let p = error.position
        let expected = Source(path: "r.yaml", text: text).position(ofByte: p.offset)
        guard expected == p else { return "incoherent position \(p) (offset \(p.offset) is \(expected))" }
        return "\(p.line):\(p.column): \(error.message)"
    }

    // FuzzRuleFile, crash-0b2ec1e4: an error in the second line of a folded
    // (`>-`) message was placed on the first line, 21 columns past its end,
    // with a byte offset on the second line.
    @Test func errorInFoldedMessagePointsAtItsOwnLine() {
        let rule = ruleHead + "assert: \"true\"\nmessage: >-\n  first line\n  second {{ \"}} }}\n"
        #expect(loadError(rule) == "10:13: unterminated string literal")
    }

    @Test func errorInLiteralBlockExpressionAfterNonASCII() {
        let rule = ruleHead + "message: m\nassert: |\n  \"é\" ==\n    \"ü\" + nope\n"
        #expect(loadError(rule) == "10:11: unknown identifier 'nope'")
    }

    @Test func errorOnTheSecondLineOfAPlainMultiLineExpression() {
        let rule = ruleHead + "message: m\nassert: it.name ==\n  \"é\" + nope\n"
        #expect(loadError(rule) == "9:9: unknown identifier 'nope'")
    }

    @Test func errorOnOneLineAfterNonASCIICountsCharacters() {
        let rule = ruleHead + "message: m\nassert: size(\"ééé\") == nope\n"
        #expect(loadError(rule) == "8:24: unknown identifier 'nope'")
    }

    @Test func errorAfterEscapesInQuotedExpressions() {
        // `\"` and `\u00e9` are one character of the expression but 2 and 6 of the file.
        let double = ruleHead + "message: m\nassert: \"it.name == \\\"\\u00e9\\\" + nope\"\n"
        #expect(loadError(double) == "8:34: unknown identifier 'nope'")
        let single = ruleHead + "message: m\nassert: 'it.name == \"''\" + nope'\n"
        #expect(loadError(single) == "8:28: unknown identifier 'nope'")
    }

    @Test func errorOnTheSecondLineOfADoubleQuotedExpression() {
        let rule = ruleHead + "message: m\nassert: \"it.name ==\n  \\\"x\\\" + nope\"\n"
        #expect(loadError(rule) == "9:11: unknown identifier 'nope'")
    }
}
