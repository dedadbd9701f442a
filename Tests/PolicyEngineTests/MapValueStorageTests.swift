@testable import PolicyEngine
import Testing
import YAMLSource

/// A document's maps keep their members in one array per document (with a
/// print of each key, compared before the key itself): lookups must find
/// exactly the written member.
@Suite struct MapValueStorageTests {
    @Test func keysWithTheSamePrintAreToldApart() {
        // "abc", "axc" and "a-c" share length, first and last byte.
        let doc = Harness.yaml("abc: 1\naxc: 2\nnested: {a-c: 3, abc: 4}\n")
        let m = doc.mapValue!
        #expect(Harness.repr(m.member("abc")) == "1")
        #expect(Harness.repr(m.member("axc")) == "2")
        #expect(m.has("axc") && !m.has("ayc") && !m.has("a-c"))
        #expect(Harness.repr(m.member("ayc")) == "null")
        let nested = m.member("nested").mapValue!
        #expect(Harness.repr(nested.member("a-c")) == "3")
        #expect(Harness.repr(nested.member("abc")) == "4")
        #expect(m.keys == ["abc", "axc", "nested"])
        #expect(nested.keys == ["a-c", "abc"])
    }

    @Test func nestedMapsAndListsReadTheirOwnMembers() {
        let yaml = """
        spec:
          users:
            - upn: a@x.com
              licenses: [E5, VISIO]
            - upn: b@x.com
              settings: {mfa: true, seats: 3}
          domains: [x.com, y.com]
        other: {upn: c@x.com}

        """
        let doc = Harness.yaml(yaml)
        #expect(Harness.run("doc.spec.users.map(u, u.upn)", ["doc": doc]) == "[\"a@x.com\", \"b@x.com\"]")
        #expect(Harness.run("doc.spec.users[0].licenses", ["doc": doc]) == "[\"E5\", \"VISIO\"]")
        #expect(Harness.run("doc.spec.users[1].settings.seats + 1", ["doc": doc]) == "4")
        #expect(Harness.run("doc.spec.users[1].settings.mfa", ["doc": doc]) == "true")
        #expect(Harness.run("has(doc.spec.users[0].settings)", ["doc": doc]) == "false")
        #expect(Harness.run("doc.spec.domains", ["doc": doc]) == "[\"x.com\", \"y.com\"]")
        #expect(Harness.run("doc.other.upn", ["doc": doc]) == "\"c@x.com\"")
        let seats = try? Harness.evaluate("doc.spec.users[1].settings.seats", ["doc": doc])
        #expect(Harness.position(seats?.node) == "6:36")
        let users = try? Harness.evaluate("doc.spec.users", ["doc": doc])
        #expect(Harness.position(users?.node) == "3:5")
    }

    @Test func repeatedAndNonScalarKeys() {
        // The first of repeated keys wins; a key that is not a scalar is never found.
        let doc = Harness.yaml("a: 1\n? [x]\n: 2\na: 3\nb: {c: 4}\n")
        let m = doc.mapValue!
        #expect(Harness.repr(m.member("a")) == "1")
        #expect(Harness.repr(m.member("[x]")) == "null")
        #expect(m.keys == ["a", "a", "b"])
        #expect(Harness.repr(m.member("b").mapValue!.member("c")) == "4")
    }

    @Test func literalMapsAreUnchanged() {
        let m = MapValue(entries: [("k", Value(.int(1))), ("l", Value(.string("v"))), ("k", Value(.int(2)))])
        #expect(!m.isAbsent && m.node == nil)
        #expect(m.keys == ["k", "l", "k"])
        #expect(m.has("l") && !m.has("m"))
        #expect(Harness.repr(m.member("k")) == "1")
        #expect(Harness.repr(m.member("m")) == "null")
        #expect(Harness.run("{'a': {'b': 2}}.a.b") == "2")
    }
}
