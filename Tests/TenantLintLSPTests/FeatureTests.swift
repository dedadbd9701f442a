import Foundation
import Testing
@testable import TenantLintLSP
import YAMLSource
import TenantLint

/// Hover, completion, definition and code actions on a small workspace.
@Suite struct FeatureTests {
    static let alpha = """
    apiVersion: tenantlint/v1
    kind: Tenant
    metadata:
      name: alpha
    spec:
      plan: E5
      domains: [alpha.com, shared.com]
      sharePoint:
        sharingCapability: Disabled
      entra:
        guests:
          - email: bob@beta.com
    # tenantlint: disable-file TL405 -- federation is reviewed elsewhere

    """

    let ws = TempWorkspace([
        "a.yaml": FeatureTests.alpha, "b.yaml": betaYAML, "c.yaml": projectYAML,
        ".tenantlint.yml": "rules:\n  TL307: off\n",
    ])
    let c = TestClient()

    init() {
        c.start(folder: ws.path, options: testOptions)
        _ = c.untilLintFinished()
    }

    func at(_ name: String, _ line: Int, _ character: Int) -> JSON {
        ["textDocument": ["uri": .string(ws.uri(name))], "position": ["line": .int(line), "character": .int(character)]]
    }

    func hover(_ name: String, _ line: Int, _ character: Int) -> String? {
        c.request("textDocument/hover", at(name, line, character))?["result"]?["contents"]?["value"]?.string
    }

    func labels(_ response: JSON?) -> [String] {
        (response?["result"]?["items"]?.array ?? []).compactMap { $0["label"]?.string }
    }

    @Test func hoverOnAKey() {
        #expect(hover("a.yaml", 8, 6) == """
        **sharingCapability** · `string`

        The tenant-wide external sharing level for SharePoint (Set-SPOTenant -SharingCapability).

        Default: `ExternalUserAndGuestSharing`

        Allowed values: `Disabled`, `ExistingExternalUserSharingOnly`, `ExternalUserSharingOnly`, `ExternalUserAndGuestSharing`
        """)
        #expect(c.request("textDocument/hover", at("a.yaml", 8, 6))?["result"]?["range"]?.text
                == #"{"end":{"character":21,"line":8},"start":{"character":4,"line":8}}"#)
        _ = c.shutdownAndExit()
    }

    @Test func hoverOnAnEnumValue() {
        let text = hover("a.yaml", 8, 25)
        #expect(text?.components(separatedBy: "\n\n---\n\n").first == "`Disabled`: only people in your organization")
        _ = c.shutdownAndExit()
    }

    @Test func hoverOnARuleInASuppression() {
        #expect(hover("a.yaml", 12, 30) == """
        **TL405 federation-open-to-all** (info)

        Teams federation is open to every external domain (AllowAllKnownDomains).

        \(rationale("TL405"))

        [Documentation](https://github.com/tenantlint/tenantlint/blob/main/docs/rules.md#tl405)
        """)
        #expect(hover("a.yaml", 12, 5) == nil)  // on "tenantlint:" itself
        _ = c.shutdownAndExit()
    }

    func rationale(_ code: String) -> String {
        var s = (try? RulePackForTests.pack.catalog.rule(code)?.rationale) ?? ""
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }

    @Test func hoverOutsideTheSchema() {
        #expect(c.request("textDocument/hover", at("a.yaml", 2, 0))?["result"]?["contents"]?["value"]?.string?.hasPrefix("**metadata**") == true)
        #expect(c.request("textDocument/hover", at("a.yaml", 13, 0))?["result"] == .null)
        _ = c.shutdownAndExit()
    }
}

enum RulePackForTests {
    static let pack: RulePack = try! RulePack.builtin()
}

@Suite struct CompletionAndDefinitionTests {
    let ws = TempWorkspace(["a.yaml": FeatureTests.alpha, "b.yaml": betaYAML, "c.yaml": projectYAML])
    let c = TestClient()

    init() {
        c.start(folder: ws.path, options: testOptions)
        _ = c.untilLintFinished()
    }

    func open(_ name: String, _ text: String) {
        c.notify("textDocument/didOpen", ["textDocument": ["uri": .string(ws.uri(name)), "languageId": "yaml", "version": 1, "text": .string(text)]])
        _ = c.untilLintFinished()
    }

    func at(_ name: String, _ line: Int, _ character: Int) -> JSON {
        ["textDocument": ["uri": .string(ws.uri(name))], "position": ["line": .int(line), "character": .int(character)]]
    }

    func complete(_ name: String, _ line: Int, _ character: Int) -> [JSON] {
        c.request("textDocument/completion", at(name, line, character))?["result"]?["items"]?.array ?? []
    }

    func labels(_ name: String, _ line: Int, _ character: Int) -> [String] {
        complete(name, line, character).compactMap { $0["label"]?.string }
    }

    static let draft = """
    apiVersion: tenantlint/v1
    kind: Tenant
    metadata:
      name: alpha
    spec:
      sharePoint:
        sharingCapability: 
        
      teams:
        teams:
          - na
    # tenantlint: dis
    # tenantlint: disable-line 

    """

    @Test func keysValuesAndRuleCodes() throws {
        open("a.yaml", Self.draft)
        #expect(labels("a.yaml", 6, 23) == ["Disabled", "ExistingExternalUserSharingOnly", "ExternalUserSharingOnly", "ExternalUserAndGuestSharing"])
        let values = complete("a.yaml", 6, 23)
        #expect(values.first?["documentation"]?["value"]?.string == "only people in your organization")
        // The keys of the schema's SharePoint object, in schema order (the
        // schema grows; the path is what is tested: spec.sharePoint).
        let schema = RulePackForTests.pack.schema
        #expect(labels("a.yaml", 7, 4) == schema.definitions["SharePoint"]?.propertyOrder)
        #expect(labels("a.yaml", 7, 4).first == "sharingCapability")
        let item = try #require(complete("a.yaml", 10, 10).first)
        #expect(labels("a.yaml", 10, 10) == schema.definitions["Team"]?.propertyOrder)
        #expect(labels("a.yaml", 10, 10).prefix(3) == ["name", "group", "guests"])
        // The typed word `na` is replaced by `name: `.
        #expect(item["textEdit"]?.text == #"{"newText":"name: ","range":{"end":{"character":10,"line":10},"start":{"character":8,"line":10}}}"#)
        #expect(labels("a.yaml", 4, 0).prefix(3) == ["apiVersion", "kind", "metadata"])
        #expect(labels("a.yaml", 11, 17) == ["disable-line", "disable-next-line", "disable-file"])
        let codes = complete("a.yaml", 12, 27)
        #expect(codes.count == RulePackForTests.pack.catalog.rules.count)
        #expect(codes.first?["label"] == "TL000")
        #expect(codes.first?["detail"] == "rule-error")
        _ = c.shutdownAndExit()
    }

    @Test func tenantNamesAndServicesInACollaboration() {
        open("c.yaml", projectYAML.replacingOccurrences(of: "host: alpha", with: "host: ")
                                  .replacingOccurrences(of: "services: [b2b]", with: "services:\n    - "))
        #expect(labels("c.yaml", 5, 8) == ["alpha", "beta"])
        let services = (RulePackForTests.pack.schema.definitions["Service"]?.enumValues ?? []).map { v -> String in
            if case .string(let s) = v { return s }
            return ""
        }
        #expect(labels("c.yaml", 8, 6) == services)
        #expect(labels("c.yaml", 8, 6).prefix(3) == ["calendar", "mailFlow", "sharePoint"])
        #expect(labels("c.yaml", 6, 20) == ["alpha", "beta"])  // inside [alpha, beta]
        _ = c.shutdownAndExit()
    }

    @Test func goToTheTenant() {
        // `beta` in tenants: [alpha, beta] -> b.yaml's metadata.name.
        #expect(c.request("textDocument/definition", at("c.yaml", 6, 20))?["result"]?.text
                == #"{"range":{"end":{"character":12,"line":3},"start":{"character":8,"line":3}},"uri":"\#(ws.uri("b.yaml"))"}"#)
        #expect(c.request("textDocument/definition", at("c.yaml", 5, 9))?["result"]?["uri"]?.string == ws.uri("a.yaml"))
        // A guest's address -> the tenant that owns its domain.
        #expect(c.request("textDocument/definition", at("a.yaml", 11, 20))?["result"]?.text
                == #"{"range":{"end":{"character":20,"line":6},"start":{"character":12,"line":6}},"uri":"\#(ws.uri("b.yaml"))"}"#)
        // Nothing to go to.
        #expect(c.request("textDocument/definition", at("a.yaml", 5, 3))?["result"] == .null)
        _ = c.shutdownAndExit()
    }

    @Test func disableQuickFixes() {
        let diagnostic: JSON = ["range": ["start": ["line": 6, "character": 12], "end": ["line": 6, "character": 20]],
                                "severity": 1, "code": "TL101", "source": "tenantlint", "message": "m"]
        let r = c.request("textDocument/codeAction", ["textDocument": ["uri": .string(ws.uri("b.yaml"))],
                                                      "range": diagnostic["range"] ?? nil,
                                                      "context": ["diagnostics": [diagnostic]]])
        let actions = r?["result"]?.array ?? []
        #expect(actions.map { $0["title"]?.string ?? "" } == ["Disable TL101 for this line", "Disable TL101 for this file"])
        #expect(actions.first?["edit"]?.text == ##"{"changes":{"\##(ws.uri("b.yaml"))":[{"newText":"  # tenantlint: disable-next-line TL101 -- \n","range":{"end":{"character":0,"line":6},"start":{"character":0,"line":6}}}]}}"##)
        #expect(actions.last?["edit"]?.text == ##"{"changes":{"\##(ws.uri("b.yaml"))":[{"newText":"# tenantlint: disable-file TL101 -- \n","range":{"end":{"character":0,"line":0},"start":{"character":0,"line":0}}}]}}"##)
        #expect(actions.first?["kind"] == "quickfix")
        // Diagnostics of other tools get nothing.
        var other = diagnostic.object ?? [:]
        other["source"] = "yamllint"
        #expect(c.request("textDocument/codeAction", ["textDocument": ["uri": .string(ws.uri("b.yaml"))], "range": diagnostic["range"] ?? nil,
                                                      "context": ["diagnostics": [.object(other)]]])?["result"] == [])
        _ = c.shutdownAndExit()
    }
}

/// The rules' fixes as quick fixes, and source.fixAll.tenantlint.
@Suite struct FixActionTests {
    @Test func quickFixesAndFixAll() throws {
        let ws = cleanWorkspace()
        let c = TestClient()
        // A debounce longer than the time the server's reader may lag behind
        // this test under load: the edit below must still be unlinted when
        // the code action request after it is handled.
        var options = testOptions.object ?? [:]
        options["debounceMilliseconds"] = 500
        c.start(folder: ws.path, options: .object(options))
        _ = c.untilLintFinished()
        let b = ws.uri("b.yaml")
        let text = betaYAML + "  teams:\n    allowGuestUser: yes\n  groups:\n    allowToAddGuests: on\n"
        c.notify("textDocument/didOpen", ["textDocument": ["uri": .string(b), "languageId": "yaml", "version": 1, "text": .string(text)]])
        let diagnostics = try #require(c.publishes(in: c.untilLintFinished())[b])
        #expect(rows(diagnostics).map { String($0.prefix(16)) } == ["TL006 8:20-8:23 ", "TL006 10:22-10:2"])
        let first = try #require(diagnostics.first)
        func actions(_ context: JSON) -> [JSON] {
            c.request("textDocument/codeAction", ["textDocument": ["uri": .string(b)], "range": first["range"] ?? nil, "context": context])?["result"]?.array ?? []
        }
        let quick = actions(["diagnostics": [first]])
        #expect(quick.map { $0["title"]?.string ?? "" } == ["Fix TL006: write true instead of yes", "Disable TL006 for this line", "Disable TL006 for this file"])
        #expect(quick.first?.text == #"{"diagnostics":[\#(first.text)],"edit":{"changes":{"\#(b)":[{"newText":"true","range":{"end":{"character":23,"line":8},"start":{"character":20,"line":8}}}]}},"isPreferred":true,"kind":"quickfix","title":"Fix TL006: write true instead of yes"}"#)
        // Without `data` (a client that drops it), the finding is found by code and position.
        var bare = first.object ?? [:]
        bare["data"] = nil
        #expect(actions(["diagnostics": [.object(bare)]]).first?["title"] == "Fix TL006: write true instead of yes")
        // Fix-all only when asked for, with every safe fix of the file.
        #expect(actions(["diagnostics": [], "only": ["source.fixAll.tenantlint"]]).map { $0.text } == [#"{"edit":{"changes":{"\#(b)":[{"newText":"true","range":{"end":{"character":23,"line":8},"start":{"character":20,"line":8}}},{"newText":"true","range":{"end":{"character":24,"line":10},"start":{"character":22,"line":10}}}]}},"kind":"source.fixAll.tenantlint","title":"Fix all safe tenantlint findings (2)"}"#])
        #expect(actions(["diagnostics": [], "only": ["source"]]).count == 1)
        #expect(actions(["diagnostics": [], "only": ["quickfix"]]).isEmpty)
        // After an edit not yet linted, no fixes are offered (their ranges may be stale).
        c.server.pause()
        c.notify("textDocument/didChange", ["textDocument": ["uri": .string(b), "version": 2], "contentChanges": [["text": .string(text + "\n")]]])
        let id = c.sendRequest("textDocument/codeAction", ["textDocument": ["uri": .string(b)], "range": first["range"] ?? nil,
                                                           "context": ["diagnostics": [first], "only": ["quickfix", "source.fixAll"]]])
        c.server.resume()
        #expect(c.wait { $0["id"] == .int(id) }?["result"]?.array?.map { $0["title"]?.string ?? "" } == ["Disable TL006 for this line", "Disable TL006 for this file"])
        #expect(c.shutdownAndExit() == 0)
    }
}
