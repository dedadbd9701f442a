import Testing
@testable import PolicyEngine

/// The fast paths of the rules phase (issue 17, fifth round) give exactly
/// what the general ways give.
@Suite struct RulesPhaseRound5Tests {
    @Test func domainOfReusingGivesTheDomainAndKeepsTheLastTwo() {
        var recent = ("", "")
        let cases: [(String, String, (String, String))] = [
            // (address, its domain, `recent` afterwards)
            ("ann@Contoso.COM.", "contoso.com", ("contoso.com", "")),
            ("bob@contoso.com", "contoso.com", ("contoso.com", "")),           // reused
            ("bob@eu.contoso.com", "eu.contoso.com", ("eu.contoso.com", "contoso.com")),
            ("bob_x@contoso.com.", "contoso.com", ("eu.contoso.com", "contoso.com")),  // reused (second)
            ("CAROL@CONTOSO.COM", "contoso.com", ("contoso.com", "eu.contoso.com")),   // capitals: made anew
            ("dave@fabrikam.com", "fabrikam.com", ("fabrikam.com", "contoso.com")),
            ("fabrikam.com", "fabrikam.com", ("fabrikam.com", "fabrikam.com")),  // no `@`: made, kept
            ("Fabrikam.Com.", "fabrikam.com", ("fabrikam.com", "fabrikam.com")),
            ("erin@", "", ("", "fabrikam.com")),
            ("frank@.", "", ("", "fabrikam.com")),                               // reused
            ("x@a@b.example.", "b.example", ("b.example", "")),
            ("y@b.example..", "b.example.", ("b.example.", "b.example")),
            ("y@b.example.", "b.example", ("b.example.", "b.example")),          // reused (second)
            ("z@é.example", "é.example", ("é.example", "b.example.")),
            ("w@É.example", "É.example", ("É.example", "é.example")),            // only ASCII letters are lowered
            ("v@é.example", "é.example", ("É.example", "é.example")),            // reused (second)
            ("a-very-long-name@subsidiary.contoso.onmicrosoft.com", "subsidiary.contoso.onmicrosoft.com",
             ("subsidiary.contoso.onmicrosoft.com", "É.example")),
            ("b@Subsidiary.contoso.onmicrosoft.com", "subsidiary.contoso.onmicrosoft.com",
             ("subsidiary.contoso.onmicrosoft.com", "subsidiary.contoso.onmicrosoft.com")),
            ("c@subsidiary.contoso.onmicrosoft.com.", "subsidiary.contoso.onmicrosoft.com",
             ("subsidiary.contoso.onmicrosoft.com", "subsidiary.contoso.onmicrosoft.com")),
        ]
        for (address, domain, kept) in cases {
            let d = Text.domainOf(address, reusing: &recent)
            #expect(Text.sameBytes(d, domain), "domainOf(\(address.debugDescription))")
            #expect(Text.sameBytes(d, Text.domainOf(address)), "domainOf(\(address.debugDescription))")
            #expect(Text.sameBytes(recent.0, kept.0) && Text.sameBytes(recent.1, kept.1), "after \(address.debugDescription): \(recent)")
        }
    }

    @Test func domainOfInComparesLowercaseDomainsAsTheyAreAndOthersLowered() {
        let items: [Value] = [Value(.int(1)), Value(.string("contoso.com")), Value(.string("")), Value(.string("é.example"))]
        let cases: [(String, Bool)] = [
            ("a@contoso.com", true), ("a@contoso.com.", true), ("a@Contoso.Com", true), ("CONTOSO.COM.", true),
            ("a@contoso.co", false), ("a@contoso.comm", false), ("a@bontoso.com", false),
            ("a@", true), ("a@.", true), ("", true), ("a@é.example", true), ("a@É.example", false),
            ("a@é.examplE", true), ("a@e\u{301}.example", false),
        ]
        for (address, found) in cases {
            #expect(Text.domainOf(address, in: items) == found, "\(address.debugDescription)")
        }
        #expect(Text.domainOf("a@contoso.com", in: [Value(.string("fabrikam.com"))]) == false)
        #expect(Text.domainOf("", in: [Value(.string("x"))]) == false)
    }
}
