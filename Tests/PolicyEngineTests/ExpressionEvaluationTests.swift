@testable import PolicyEngine
import Testing
import YAMLSource

@Suite struct ExpressionEvaluationTests {
    let doc = Harness.yaml("""
    name: Contoso
    count: 3
    ratio: 0.5
    tags: [a, b, a]
    empty: []
    nothing: null
    spec:
      teams:
        - name: Aurora
          guests: [bob@fabrikam.com, eve@example.org]
        - name: Borealis
          guests: []
        - name: Cygnus
    """)

    private func run(_ text: String) -> String { Harness.run(text, ["doc": doc]) }

    @Test func arithmeticAndComparison() {
        #expect(run("1 + 2 * 3 == 7") == "true")
        #expect(run("7 / 2") == "3")
        #expect(run("-7 / 2") == "-3")
        #expect(run("-7 % 3") == "-1")
        #expect(run("7.0 / 2") == "3.5")
        #expect(run("1 + 0.5") == "1.5")
        #expect(run("'ab' + 'cd'") == "\"abcd\"")
        #expect(run("[1] + [2, 3]") == "[1, 2, 3]")
        #expect(run("doc.count * 2 - 1") == "5")
        #expect(run("doc.count > 2.5 && doc.ratio < 1") == "true")
        #expect(run("1 == 1.0") == "true")
        #expect(run("1 < 1.5") == "true")
        #expect(run("'a' < 'b' && 'B' < 'a'") == "true")
        #expect(run("false < true") == "true")
        #expect(run("[1, 'a'] == [1, 'a']") == "true")
        #expect(run("{'a': 1} == {'a': 1.0}") == "true")
        #expect(run("1 == 'a'") == "false")
        #expect(run("1 != 'a'") == "true")
        #expect(run("'é' == 'e\\u0301'") == "false")
        // Strings compare by their bytes: small (inline) and long (heap) ones alike.
        #expect(run("'' == '' && 'ab' < 'abc' && !('abc' < 'ab') && 'abc' <= 'abc'") == "true")
        #expect(run("'a-rather-long-domain.example.com' == 'a-rather-long-domain.example.com'") == "true")
        #expect(run("'a-rather-long-domain.example.com' == 'a-rather-long-domain.example.con'") == "false")
        #expect(run("'a-rather-long-domain.example.com' < 'a-rather-long-domain.example.con'") == "true")
        #expect(run("'z' < 'é' && 'é' < '日本'") == "true")
        #expect(run("size(unique(['é', 'e\\u0301', 'é', 'a-rather-long-domain.example.com', 'a-rather-long-domain.example.com']))") == "3")
        #expect(run("lowerAscii('ÉCOLE.Example.COM')") == "\"École.example.com\"")
        #expect(run("upperAscii('école.example.com')") == "\"éCOLE.EXAMPLE.COM\"")
        #expect(run("doc.count == 3 ? 'three' : 'other'") == "\"three\"")
        #expect(run("!(doc.count == 3)") == "false")
        #expect(run("-doc.count") == "-3")
    }

    @Test func nullSemantics() {
        #expect(run("doc.missing") == "null")
        #expect(run("doc.missing == null") == "true")
        #expect(run("doc.missing.deeper.still") == "null")
        #expect(run("doc.missing['k']") == "null")
        #expect(run("doc.missing[0]") == "null")
        #expect(run("doc.nothing == null") == "true")
        #expect(run("doc.missing == 0") == "false")
        #expect(run("doc.missing == ''") == "false")
        #expect(run("doc.missing != false") == "true")
        #expect(run("size(doc.missing)") == "0")
        #expect(run("doc.missing.size()") == "0")
        #expect(run("null in [1, null]") == "true")
        #expect(run("null in [1, 2]") == "false")
        #expect(run("1 in doc.missing") == "false")
        #expect(run("doc.missing.all(x, false)") == "true")
        #expect(run("doc.missing.exists(x, true)") == "false")
        #expect(run("doc.missing.map(x, x)") == "[]")
        #expect(run("doc.missing.filter(x, true)") == "[]")
        #expect(run("doc.spec.teams[2].guests.exists(g, true)") == "false")
        #expect(run("has(doc.missing.x)") == "false")
    }

    @Test func accessAndIn() {
        #expect(run("doc.spec.teams[0].name") == "\"Aurora\"")
        #expect(run("doc['spec']['teams'][1]['name']") == "\"Borealis\"")
        #expect(run("'a' in doc.tags") == "true")
        #expect(run("'z' in doc.tags") == "false")
        #expect(run("'count' in doc") == "true")
        #expect(run("'missing' in doc") == "false")
        #expect(run("1.0 in [1, 2]") == "true")
        #expect(run("has(doc.count)") == "true")
        #expect(run("has(doc.spec.teams)") == "true")
        #expect(run("has(doc.spec.x)") == "false")
        #expect(run("{'a': {'b': 2}}.a.b") == "2")
        #expect(run("has({'a': 1}.a)") == "true")
    }

    @Test func runtimeErrors() {
        #expect(run("doc.name < 1") == "error: '<' cannot compare string and int")
        #expect(run("doc.missing < 1") == "error: '<' cannot compare null and int")
        #expect(run("doc.tags < doc.tags") == "error: '<' cannot compare list and list")
        #expect(run("doc.name + 1") == "error: '+' cannot be applied to string and int")
        #expect(run("doc.count / (doc.count - 3)") == "error: division by zero")
        #expect(run("doc.count % 0") == "error: modulo by zero")
        #expect(run("doc.count * 9223372036854775807") == "error: integer overflow in '*'")
        #expect(run("doc.tags[3]") == "error: index 3 is out of range for a list of 3")
        #expect(run("doc.tags[-1]") == "error: index -1 is out of range for a list of 3")
        #expect(run("doc.tags['a']") == "error: a list index must be an int, not string")
        #expect(run("doc.name.x") == "error: cannot read field 'x' of string")
        #expect(run("doc.name[0]") == "error: cannot index string")
        #expect(run("!doc.name") == "error: '!' cannot be applied to string")
        #expect(run("doc.name ? 1 : 2") == "error: '?:' needs a bool condition, not string")
        #expect(run("doc.count && true") == "error: '&&' needs bool operands, not int")
        #expect(run("size(doc.count)") == "error: size() expects a string, list or map, not int")
        #expect(run("doc.count.startsWith('a')") == "error: startsWith() expects a string, not int")
        #expect(run("1 in doc.name") == "error: 'in' cannot be applied to int and string")
        #expect(run("doc.name.all(x, true)") == "error: all() cannot iterate over string")
        #expect(run("doc.tags.all(x, x)") == "error: the predicate of all() must give a bool, not string")
        #expect(run("has(doc.name.x)") == "error: has() cannot test a field of string")
    }

    @Test func runtimeErrorsCarryTheOffendingNode() {
        do {
            _ = try Harness.evaluate("doc.spec.teams[0].name < 1", ["doc": doc])
            Issue.record("expected an error")
        } catch let e as EvaluationError {
            #expect(Harness.position(e.node) == "9:13")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func errorAbsorptionInLogicalOperators() {
        #expect(run("false && doc.name < 1") == "false")
        #expect(run("doc.name < 1 && false") == "false")
        #expect(run("true || doc.name < 1") == "true")
        #expect(run("doc.name < 1 || true") == "true")
        #expect(run("doc.name < 1 || false") == "error: '<' cannot compare string and int")
        #expect(run("true && doc.name < 1") == "error: '<' cannot compare string and int")
        #expect(run("doc.name && false") == "false")
        #expect(run("doc.count < 'a' || doc.name < 1") == "error: '<' cannot compare int and string")
        // all() is false when any item is false, even if another errs; exists() likewise true.
        #expect(run("[1, 'a', 0].all(x, x > 0)") == "false")
        #expect(run("['a', 1].exists(x, x > 0)") == "true")
        #expect(run("['a', 1].all(x, x > 0)") == "error: '>' cannot compare string and int")
    }

    @Test func macros() {
        #expect(run("doc.spec.teams.all(t, has(t.name))") == "true")
        #expect(run("doc.spec.teams.exists(t, t.name == 'Borealis')") == "true")
        #expect(run("doc.spec.teams.exists_one(t, size(t.guests) > 0)") == "true")
        #expect(run("doc.tags.exists_one(t, t == 'a')") == "false")
        #expect(run("doc.spec.teams.map(t, t.name)") == "[\"Aurora\", \"Borealis\", \"Cygnus\"]")
        #expect(run("doc.spec.teams.map(t, size(t.guests) > 0, t.name)") == "[\"Aurora\"]")
        #expect(run("doc.spec.teams.filter(t, size(t.guests) == 0).map(t, t.name)") == "[\"Borealis\", \"Cygnus\"]")
        #expect(run("[1, 2, 3].map(x, x * x)") == "[1, 4, 9]")
        #expect(run("[[1, 2], [3]].map(x, x.map(x, x + 1))") == "[[2, 3], [4]]")
        #expect(run("doc.spec.teams.map(t, t.guests.map(g, t.name + ':' + g)).flatten()")
                == "[\"Aurora:bob@fabrikam.com\", \"Aurora:eve@example.org\"]")
        #expect(run("{'a': 1, 'b': 2}.map(k, k)") == "[\"a\", \"b\"]")
        #expect(run("{'a': 1, 'b': 2}.filter(k, k == 'b')") == "[\"b\"]")
        #expect(run("doc.spec.all(k, k == 'teams')") == "true")
        #expect(run("[].all(x, false)") == "true")
        #expect(run("[].exists(x, true)") == "false")
        #expect(run("doc.tags.exists_one(t, t > 1)") == "error: '>' cannot compare string and int")
        #expect(run("doc.tags.map(t, t == 'a', t + '!')") == "[\"a!\", \"a!\"]")
        #expect(run("doc.tags.filter(t, t == 'zz')") == "[]")
    }

    @Test func originsAreKept() throws {
        let vars = ["doc": doc]
        let filtered = try Harness.evaluate("doc.spec.teams.filter(t, t.name == 'Borealis')", vars)
        // A filtered list is computed (no node); its items keep theirs.
        #expect(Harness.position(filtered.node) == "-")
        #expect(Harness.position(filtered.listValue?.first?.node) == "11:7")
        #expect(Harness.position(try Harness.evaluate("doc.spec.teams[1].name", vars).node) == "11:13")
        #expect(Harness.position(try Harness.evaluate("doc.count > 1 ? doc.name : doc.ratio", vars).node) == "1:7")
        #expect(Harness.position(try Harness.evaluate("default(doc.missing, doc.count)", vars).node) == "2:8")
        #expect(Harness.position(try Harness.evaluate("doc.spec.teams[0].guests[0].domainOf()", vars).node) == "10:16")
        #expect(Harness.position(try Harness.evaluate("lowerAscii(doc.name)", vars).node) == "1:7")
        #expect(Harness.position(try Harness.evaluate("keys(doc.spec.teams[0])[1]", vars).node) == "10:7")
        #expect(Harness.position(try Harness.evaluate("doc.count + 1", vars).node) == "-")
        // A missing field (no schema here) is attributed to the nearest present ancestor, the root.
        #expect(Harness.position(try Harness.evaluate("doc.missing.x", vars).node) == "1:1")
    }

    @Test func concurrentEvaluationWithOneActivationPerTask() async throws {
        let scope = Scope(["doc"])
        let compiled = try ExpressionCompiler().compile(
            "doc.spec.teams.map(t, t.guests.filter(g, g.matches('@fabrikam[.]com$')).size())", scope: scope)
        let slots = scope.slotCount
        let doc = self.doc
        let results = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    let activation = Activation(slotCount: slots, environment: TestEnvironment())
                    activation.slots[0] = doc
                    var last = ""
                    for _ in 0..<200 {
                        last = (try? compiled.evaluate(activation)).map(Harness.repr) ?? "error"
                    }
                    return last
                }
            }
            var all: [String] = []
            for await r in group { all.append(r) }
            return all
        }
        #expect(results == Array(repeating: "[1, 0, 0]", count: 8))
    }

    @Test func oneActivationServesSeveralExpressions() throws {
        let scope = Scope(["doc", "it"])
        let compiler = ExpressionCompiler()
        let each = try compiler.compile("doc.spec.teams.filter(t, size(t.guests) > 0)", scope: scope)
        let check = try compiler.compile("it.guests.all(g, g.endsWith('.com'))", scope: scope)
        let activation = Activation(slotCount: scope.slotCount, environment: TestEnvironment())
        activation.slots[0] = doc
        var results: [String] = []
        for item in try each.evaluate(activation).listValue ?? [] {
            activation.slots[1] = item
            results.append(Harness.repr(try check.evaluate(activation)))
        }
        #expect(results == ["false"])
    }
}
