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

    @Test func keysAreComparedAsStringsWhateverTheirBytes() {
        // A field read compares a key whose print matches with `==` on
        // Strings, read in the run's key table (`Node.pairValue`): keys that
        // are canonically equivalent with the same print (combining marks in
        // another order: same length, first and last byte) are found; NFC
        // and NFD spellings (different lengths, so different prints) are
        // not; bytes that merely share a print are told apart.
        let written = "a\u{0301}\u{0316}b"   // a, acute, grave below, b
        let reordered = "a\u{0316}\u{0301}b"
        #expect(written == reordered && KeyPrint.of(written) == KeyPrint.of(reordered))
        #expect(Array(written.utf8) != Array(reordered.utf8))
        let doc = Harness.yaml("\(written): 1\ncafé: 2\n\"caf\u{0065}\u{0301}x\": 3\nnaïve: 4\nnaéve: 5\n")
        let m = doc.mapValue!
        #expect(Harness.repr(m.member(written)) == "1")
        #expect(Harness.repr(m.member(reordered)) == "1")
        #expect(Harness.repr(m.member("café")) == "2")                  // NFC, as written
        #expect(Harness.repr(m.member("cafe\u{0301}")) == "null")       // NFD: another length
        #expect(Harness.repr(m.member("cafe\u{0301}x")) == "3")
        #expect(Harness.repr(m.member("caféx")) == "null")
        #expect(Harness.repr(m.member("naïve")) == "4")
        #expect(Harness.repr(m.member("naéve")) == "5")
        #expect(Harness.repr(m.member("naöve")) == "null")               // same print as both
        #expect(Harness.run("doc[k]", ["doc": doc, "k": Value(.string(reordered))]) == "1")
        let node = doc.node!
        #expect(node.pairValue(0, ifKeyIs: reordered)?.text == "1")
        #expect(node.pairValue(1, ifKeyIs: "café")?.text == "2")
        #expect(node.pairValue(1, ifKeyIs: written) == nil)
        #expect(node.pairValue(5, ifKeyIs: "café") == nil)
        #expect(node.pairValue(-1, ifKeyIs: "café") == nil)
    }

    @Test func taggedKeysAndTaggedMappingsAreRead() {
        // A tagged key is kept as a node of its own, a tagged mapping in a
        // tag box: both are read as before.
        let doc = Harness.yaml("outer: !!map {!!str abc: 1, axc: 2}\n!!str upn: u@x.com\n")
        #expect(Harness.run("doc.upn", ["doc": doc]) == "\"u@x.com\"")
        #expect(Harness.run("doc.outer.abc", ["doc": doc]) == "1")
        #expect(Harness.run("doc.outer.axc", ["doc": doc]) == "2")
        #expect(Harness.run("doc.outer.ayc", ["doc": doc]) == "null")
        let outer = doc.mapValue!.member("outer").node!
        #expect(outer.pairValue(0, ifKeyIs: "abc")?.text == "1")
        #expect(outer.pairValue(1, ifKeyIs: "axc")?.text == "2")
        #expect(outer.pairValue(0, ifKeyIs: "axc") == nil)
        #expect(doc.node!.pairValue(1, ifKeyIs: "upn")?.text == "u@x.com")
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
