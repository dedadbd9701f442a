import Testing
@testable import TenantLint
import YAMLSource

/// The built-in rules must cost time linear in the number of documents: a
/// rule judges each document (or item) of its kind, so an expression that
/// scans every document of the run (`documents(kind)`, or a function such as
/// `tenants()` built on it) makes the run quadratic; TL201 once took 22 s of
/// 24 at 2,000 tenants that way. Lookups go through an indexed function
/// (computed once per run) or an aggregate (one hash pass) instead.
@Suite struct RulePackCostTests {
    /// `documents` and every functions.yaml function whose body calls one
    /// of these (directly or through another); indexed functions are not
    /// scans.
    static func scanningFunctions() throws -> Set<String> {
        let file = try #require(BuiltinRulePack.files.first { $0.path == RulePack.functionsPath })
        let root = try #require(Loader().load(Source(path: file.path, text: file.text)).documents.first?.root)
        let bodies: [(String, String)] = (root["functions"]?.sequence ?? []).compactMap { f in
            guard let name = f["name"]?.text, let body = f["body"]?.text else { return nil }
            return (name, body)
        }
        var scanning: Set<String> = ["documents"]
        var grew = true
        while grew {
            grew = false
            for (name, body) in bodies where !scanning.contains(name) && calls(body, anyOf: scanning) != nil {
                scanning.insert(name)
                grew = true
            }
        }
        return scanning
    }

    /// The first of `names` called in `text` (`name(`, spaces allowed before the parenthesis).
    static func calls(_ text: String, anyOf names: Set<String>) -> String? {
        let chars = Array(text.unicodeScalars)
        func isIdent(_ c: Unicode.Scalar) -> Bool { c == "_" || c.properties.isAlphabetic || ("0"..."9").contains(c) }
        var i = 0
        while i < chars.count {
            guard isIdent(chars[i]), i == 0 || !isIdent(chars[i - 1]) else { i += 1; continue }
            var j = i
            while j < chars.count && isIdent(chars[j]) { j += 1 }
            let word = String(String.UnicodeScalarView(chars[i..<j]))
            var k = j
            while k < chars.count && chars[k] == " " { k += 1 }
            if k < chars.count && chars[k] == "(" && names.contains(word) { return word }
            i = j
        }
        return nil
    }

    @Test func theScanningFunctionsAreKnown() throws {
        #expect(try Self.scanningFunctions() == ["documents", "tenants", "collaborations"])
        #expect(Self.calls("a.map(t, tenants ().size())", anyOf: ["tenants"]) == "tenants")
        #expect(Self.calls("mytenants() + tenantsWithDomain(x)", anyOf: ["tenants"]) == nil)
    }

    @Test func noBuiltinRuleScansEveryDocument() throws {
        let scanning = try Self.scanningFunctions()
        var offenders: [String] = []
        for rule in builtinPack.catalog.rules where !rule.builtin {
            var texts = rule.variables.map { ("variable \($0.name)", $0.expression.text) }
            for c in rule.checks {
                let parts: [(String, ExpressionSource?)] = [("each", c.each), ("when", c.when), ("assert", c.assert),
                                                            ("groupBy", c.aggregate?.groupBy), ("max", c.aggregate?.max),
                                                            ("at", c.at), ("message", c.message)]
                texts += parts.compactMap { p in p.1.map { (p.0, $0.text) } }
                texts += c.related.map { ("related", $0.at.text) }
                texts += c.related.compactMap { r in r.message.map { ("related message", $0.text) } }
            }
            for (what, text) in texts {
                if let f = Self.calls(text, anyOf: scanning) { offenders.append("\(rule.code) \(what) calls \(f)()") }
            }
        }
        #expect(offenders == [])
    }
}
