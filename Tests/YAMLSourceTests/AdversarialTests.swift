import Testing
@testable import YAMLSource

/// The YAML front end's half of the adversarial suite: these inputs come from
/// Tests/TenantLintTests/AdversarialTests.swift (which checks that each is one
/// TL001 with the sibling file still linted, in `frontEndCases`) and are
/// checked here on `Loader` itself: the problem's kind, position and message,
/// and what is kept of the document. Lines 1–6 are a manifest's head; what a
/// test adds starts on line 7. More front-end cases: AdversarialInputTests.
@Suite struct AdversarialTests {
    static let head = Array("""
        apiVersion: tenantlint/v1
        kind: Tenant
        metadata: {name: adv}
        spec:
          sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
          externalAccess: {allowedDomains: []}

        """.utf8)

    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }
    static func loadBytes(_ b: [UInt8]) -> LoadResult { AdversarialInputTests.loadBytes(b) }
    static func problems(_ b: [UInt8]) -> [String] { AdversarialInputTests.problems(loadBytes(b)) }

    /// The kept document's `spec` (or the root), as flow text.
    static func spec(_ b: [UInt8]) -> String {
        let r = loadBytes(b)
        return r.documents.map { "\($0.isComplete ? "complete" : "partial") " + AdversarialInputTests.tree($0.root?["spec"] ?? $0.root) }.joined(separator: "; ")
    }

    /// What the head's spec holds, as flow text, before what a test adds.
    static let quiet = #"string("sharePoint")@5:3: {string("sharingCapability")@5:16: string("ExistingExternalUserSharingOnly")@5:35, string("oneDriveSharingCapability")@5:68: string("ExistingExternalUserSharingOnly")@5:95, string("defaultLinkPermission")@5:128: string("View")@5:151}@5:15, string("externalAccess")@6:3: {string("allowedDomains")@6:20: []@6:36}@6:19"#

    // MARK: - Truncated files, unterminated quotes and flows

    @Test func truncatedInsideAFlowSequence() {
        let adv = Self.head + Self.bytes("  domains: [adv.com, adv2.c")
        #expect(Self.problems(adv) == ["syntax 7:28-7:28 did not find expected ',' or ']' while parsing a flow sequence started at 7:12"])
        #expect(Self.spec(adv) == "partial {" + Self.quiet + #", string("domains")@7:3: [string("adv.com")@7:13, string("adv2.c")@7:22]@7:12}@5:3"#)
    }

    @Test func truncatedInsideAMultiByteCharacter() {
        let adv = Self.head + Self.bytes("  plan: caf") + [0xC3]
        #expect(Self.problems(adv) == ["syntax 7:12-7:12 incomplete UTF-8 octet sequence"])
        #expect(Self.spec(adv) == "partial {" + Self.quiet + "}@5:3")
    }

    @Test func truncatedInsideAKey() {
        let adv = Self.head + Self.bytes("  pla")
        #expect(Self.problems(adv) == ["syntax 7:6-7:6 could not find expected ':' while scanning a simple key started at 7:3"])
        #expect(Self.spec(adv) == "partial {" + Self.quiet + "}@5:3")
    }

    @Test func unterminatedQuotes() {
        let double = Self.head + Self.bytes("  plan: \"E5\n  domains: [a.com]\n")
        #expect(Self.problems(double) == ["syntax 9:1-9:1 found unexpected end of stream while scanning a quoted scalar started at 7:9"])
        let single = Self.head + Self.bytes("  plan: 'E5\n")
        #expect(Self.problems(single) == ["syntax 8:1-8:1 found unexpected end of stream while scanning a quoted scalar started at 7:9"])
        #expect(Self.spec(single) == "partial {" + Self.quiet + "}@5:3")
    }

    @Test func unterminatedFlowSequenceAndMapping() {
        // The sequence swallows the next line as a scalar ("b.com plan").
        let sequence = Self.head + Self.bytes("  domains: [a.com, b.com\n  plan: E5\n")
        #expect(Self.problems(sequence) == ["syntax 8:7-8:7 did not find expected ',' or ']' while parsing a flow sequence started at 7:12"])
        #expect(Self.spec(sequence) == "partial {" + Self.quiet + #", string("domains")@7:3: [string("a.com")@7:13, string("b.com plan")@7:20]@7:12}@5:3"#)
        let mapping = Self.bytes("apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: adv}\nspec: {plan: E5, domains: [a.com]\n")
        #expect(Self.problems(mapping) == ["syntax 5:1-5:1 did not find expected ',' or '}' while parsing a flow mapping started at 4:7"])
        #expect(Self.spec(mapping) == #"partial {string("plan")@4:8: string("E5")@4:14, string("domains")@4:18: [string("a.com")@4:28]@4:27}@4:7"#)
        #expect(Self.loadBytes(mapping).documents.first?.openCollections.count == 2)
    }

    // MARK: - Bytes that are not UTF-8 text

    @Test func invalidUTF8InAKeyAndInAValue() {
        #expect(Self.problems(Self.head + Self.bytes("  pl") + [0xFF] + Self.bytes("an: E5\n")) == ["syntax 7:5-7:5 invalid leading UTF-8 octet"])
        #expect(Self.problems(Self.head + Self.bytes("  plan: E") + [0xFE] + Self.bytes("5\n")) == ["syntax 7:10-7:10 invalid leading UTF-8 octet"])
        // A lead byte followed by a non-continuation byte, after a multi-byte
        // character: libyaml points at the byte that breaks the sequence, '('.
        #expect(Self.problems(Self.head + Self.bytes("  displayName: é café ") + [0xC3, 0x28] + Self.bytes("\n"))
                == ["syntax 7:24-7:24 invalid trailing UTF-8 octet"])
    }

    @Test func nulBytesInAKeyAndInAValue() {
        #expect(Self.problems(Self.head + Self.bytes("  plan: E5") + [0] + Self.bytes("\n"))
                == ["syntax 7:11-7:11 control characters are not allowed (byte 0x00)"])
        #expect(Self.problems(Self.head + Self.bytes("  pl") + [0] + Self.bytes("an: E5\n"))
                == ["syntax 7:5-7:5 control characters are not allowed (byte 0x00)"])
    }

    static let utf16Text = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: adv}\nspec: {plan: E9}\n"

    static func utf16(bigEndian: Bool) -> [UInt8] {
        Array(utf16Text.utf16).flatMap { u -> [UInt8] in
            bigEndian ? [UInt8(u >> 8), UInt8(u & 0xFF)] : [UInt8(u & 0xFF), UInt8(u >> 8)]
        }
    }

    @Test func utf16WithAByteOrderMark() {
        for file in [[0xFF, 0xFE] + Self.utf16(bigEndian: false), [0xFE, 0xFF] + Self.utf16(bigEndian: true)] {
            let r = Self.loadBytes(file)
            #expect(AdversarialInputTests.problems(r) == ["syntax 1:1-1:1 file is encoded as UTF-16; manifests must be UTF-8"])
            #expect(r.documents.isEmpty)
        }
    }

    @Test func utf16WithoutAByteOrderMark() {
        // The first NUL byte is the first problem: 'a' then 0x00, or 0x00 then 'a'.
        #expect(Self.problems(Self.utf16(bigEndian: false)) == ["syntax 1:2-1:2 control characters are not allowed (byte 0x00)"])
        #expect(Self.problems(Self.utf16(bigEndian: true)) == ["syntax 1:1-1:1 control characters are not allowed (byte 0x00)"])
    }

    // MARK: - Aliases, size and depth

    @Test func billionLaughs() {
        var text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            text += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
            previous = name
        }
        // 9 + 81 + ... nodes: the limit (100,000) is passed at the sixth line,
        // by its first alias; the rest of the file is not read.
        let r = Self.loadBytes(Self.bytes(text))
        #expect(AdversarialInputTests.problems(r) == ["limit 6:8-6:10 aliases expand to more than 100000 nodes (an alias bomb?); the rest of the file is not read"])
        #expect(r.documents.map(\.isComplete) == [false])
        #expect(r.documents.first?.root?.mapping?.map { $0.key.text ?? "?" } == ["a", "b", "c", "d", "e", "f"])
        #expect(r.documents.first?.root?["f"]?.sequence?.isEmpty == true)
    }

    @Test func hundredThousandLevelsOfNesting() {
        let n = 100_000
        let deep = "nesting is deeper than 256 levels; the rest of the file is not read"
        let flowSequence = Self.head + Self.bytes("  domains: ") + [UInt8](repeating: UInt8(ascii: "["), count: n)
            + [UInt8](repeating: UInt8(ascii: "]"), count: n) + [0x0A]
        #expect(Self.problems(flowSequence) == ["limit 7:266-7:266 " + deep])
        var flowMapping = Self.head + Self.bytes("  teams: ")
        for _ in 0..<n { flowMapping += Self.bytes("{a: ") }
        flowMapping += [UInt8(ascii: "1")] + [UInt8](repeating: UInt8(ascii: "}"), count: n) + [0x0A]
        #expect(Self.problems(flowMapping) == ["limit 7:1026-7:1026 " + deep])
        var blockSequence = Self.head + Self.bytes("  domains:\n    ")
        for _ in 0..<n { blockSequence += Self.bytes("- ") }
        blockSequence += Self.bytes("x\n")
        let block = Self.loadBytes(blockSequence)
        #expect(AdversarialInputTests.problems(block) == ["limit 8:513-8:513 " + deep])
        // What was read is kept: 254 lists under spec.domains, the last empty.
        var node = block.documents.first?.root?["spec"]?["domains"]
        var depth = 0
        while let items = node?.sequence, let first = items.first { node = first; depth += 1 }
        #expect(depth == 253)
        #expect(node?.sequence?.isEmpty == true)
    }
}
