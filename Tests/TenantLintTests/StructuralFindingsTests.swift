import Testing
@testable import TenantLint
import YAMLSource

@Suite struct StructuralFindingsTests {
    @Test func yamlSyntaxKeepsFindingsOfTheDocumentsBeforeTheError() {
        let r = lint(tenantHeader + "spec:\n  teams: {allowGuestUser: yes}\n---\n" + tenantHeader + "spec:\n  teams: {allowGuestUser: yes}\n  domains: [contoso.com,\n")
        #expect(structural(r) == [
            "t.yaml:5:27 TL006 'yes' is a YAML 1.1 boolean; write true in spec.teams.allowGuestUser",
            "t.yaml:13:1 TL001 did not find expected node content while parsing a flow node started at 13:1",
        ])
        #expect(r.findings.filter { $0.code.hasPrefix("TL0") }.map(\.name) == ["yaml11-boolean", "yaml-syntax"])
    }

    @Test func theDocumentCutShortBySyntaxErrorGetsNoSchemaFindings() {
        // libyaml's recovery reads "b.com" and the next line as one scalar of
        // the unclosed flow list; judging it would report text nobody wrote.
        let r = lint(tenantHeader + "spec:\n  domains: [a.com, b.com\n  plan: E3\n  bogus: 1\n")
        #expect(structural(r) == [
            "t.yaml:6:7 TL001 did not find expected ',' or ']' while parsing a flow sequence started at 5:12",
        ])
    }

    @Test func yamlSyntaxBeforeAnyEventStillReportsOnce() {
        let r = lint("spec: [1, 2\n")
        #expect(structural(r) == ["t.yaml:2:1 TL001 did not find expected ',' or ']' while parsing a flow sequence started at 1:7"])
    }

    @Test func duplicateKey() {
        let r = lint(tenantHeader + "spec:\n  plan: E3\n  plan: E5\n")
        #expect(structural(r) == ["t.yaml:6:3 TL002 duplicate key 'plan'"])
        #expect(r.findings.first { $0.code == "TL002" }?.related.map { "\($0.location.range.start.line):\($0.location.range.start.column) \($0.message)" } == ["5:3 first defined here"])
    }

    @Test func unknownFieldWithSuggestion() {
        let r = lint(tenantHeader + "spec:\n  sharePoint:\n    sharingCapabilty: Disabled\n    x-note: extensions are fine\n  x-owner: ops\n")
        #expect(structural(r) == ["t.yaml:6:5 TL003 unknown field 'sharingCapabilty' in spec.sharePoint; did you mean 'sharingCapability'?"])
        #expect(r.findings.first { $0.code == "TL003" }?.location.range.end.column == 21)
    }

    @Test func unknownFieldWithoutAPlausibleSuggestion() {
        let r = lint(tenantHeader + "spec:\n  zzzzzz: 1\n")
        #expect(structural(r) == ["t.yaml:5:3 TL003 unknown field 'zzzzzz' in spec"])
    }

    @Test func invalidValues() {
        let r = lint(tenantHeader + """
        spec:
          plan: E4
          domains: [contoso.com, "not a domain"]
          sharePoint:
            requireAnonymousLinksExpireInDays: 731
            sharingCapability: 3
          entra:
            guests:
              - email: bob@
          teams:
            allowGuestUser: "true"

        """)
        #expect(structural(r) == [
            "t.yaml:5:9 TL004 'E4' is not a valid spec.plan; expected one of BusinessBasic, BusinessStandard, BusinessPremium, BusinessEssentials, E1, E3, E5, F1, F3, A1, A3, A5, ExchangeOnlinePlan1, ExchangeOnlinePlan2, SharePointPlan1, SharePointPlan2; did you mean 'E1'?",
            "t.yaml:6:26 TL004 'not a domain' is not a domain name in spec.domains[1]",
            "t.yaml:8:40 TL004 spec.sharePoint.requireAnonymousLinksExpireInDays is 731, above the maximum 730",
            "t.yaml:9:24 TL004 spec.sharePoint.sharingCapability must be a string, not integer '3'",
            "t.yaml:12:16 TL004 'bob@' is not an email address in spec.entra.guests[0].email",
            "t.yaml:14:21 TL004 spec.teams.allowGuestUser must be a boolean, not string 'true'",
        ])
    }

    @Test func missingFieldsPointAtTheEnclosingMapping() {
        let r = lint("apiVersion: tenantlint/v1\nkind: Tenant\nmetadata:\n  displayName: X\nspec:\n  exchange:\n    organizationRelationships:\n      - name: Fabrikam\n")
        #expect(structural(r) == [
            "t.yaml:4:3 TL005 missing required field 'name' in metadata",
            "t.yaml:8:9 TL005 missing required field 'domainNames' in spec.exchange.organizationRelationships[0]",
        ])
        let noKind = lint("apiVersion: tenantlint/v1\nmetadata: {name: x}\nspec: {}\n")
        #expect(structural(noKind) == ["t.yaml:1:1 TL005 missing required field 'kind' in the document"])
    }

    @Test func yaml11Booleans() {
        let r = lint(tenantHeader + "spec:\n  groups:\n    allowToAddGuests: Off\n    allowGuestsToAccessGroups: Y\n  teams:\n    allowGuestUser: TRUE\n")
        #expect(structural(r) == [
            "t.yaml:6:23 TL006 'Off' is a YAML 1.1 boolean; write false in spec.groups.allowToAddGuests",
            "t.yaml:7:32 TL006 'Y' is a YAML 1.1 boolean; write true in spec.groups.allowGuestsToAccessGroups",
        ])
    }

    @Test func deprecatedField() {
        let r = lint(tenantHeader + "spec:\n  externalAccess:\n    allowPublicUsers: false\n")
        #expect(structural(r) == ["t.yaml:6:5 TL007 'allowPublicUsers' is deprecated: Skype consumer (public) federation was retired by Microsoft in 2025; remove externalAccess.allowPublicUsers"])
        #expect(r.findings.first { $0.code == "TL007" }?.severity == .warning)
    }

    @Test func anUnknownKindOrVersionIsNotAlsoAMissingSpec() {
        let r = lint("apiVersion: tenantlint/v1\nkind: TenantSettings\nmetadata: {name: a}\n---\napiVersion: tenantlint/v2\nkind: Tenant\nmetadata: {name: b}\n---\nkind: Tenant\nmetadata: {name: c}\n")
        #expect(structural(r) == [
            "t.yaml:2:7 TL008 'TenantSettings' is not a valid kind; expected one of Tenant, Collaboration, MultiTenantOrganization",
            "t.yaml:5:13 TL008 apiVersion must be 'tenantlint/v1', not 'tenantlint/v2'",
            "t.yaml:9:1 TL005 missing required field 'apiVersion' in the document",
            "t.yaml:9:1 TL005 missing required field 'spec' in the document",
        ])
    }

    @Test func unknownKindAndVersion() {
        let r = lint("apiVersion: tenantlint/v2\nkind: Tenant\nmetadata: {name: a}\nspec: {}\n---\napiVersion: tenantlint/v1\nkind: Tenat\nmetadata: {name: b}\nspec: {bogus: 1}\n")
        #expect(structural(r) == [
            "t.yaml:1:13 TL008 apiVersion must be 'tenantlint/v1', not 'tenantlint/v2'",
            "t.yaml:7:7 TL008 'Tenat' is not a valid kind; expected one of Tenant, Collaboration, MultiTenantOrganization; did you mean 'Tenant'?",
        ])
    }

    @Test func duplicateNamesAcrossFiles() {
        let doc = tenantHeader + "spec: {}\n"
        let r = lint([("b.yaml", doc), ("a.yaml", "# first in input order is b.yaml\n" + doc)])
        #expect(structural(r) == ["a.yaml:4:18 TL010 tenant 'contoso' is defined twice"])
        #expect(r.findings.first { $0.code == "TL010" }?.related.map { "\($0.location.file):\($0.location.range.start.line):\($0.location.range.start.column)" } == ["b.yaml:3:18"])
    }

    @Test func nonMappingDocumentsAndEmptyDocuments() {
        let r = lint("---\n---\n- a\n- b\n---\njust text\n")
        #expect(structural(r) == [
            "t.yaml:3:1 TL004 a manifest document must be a mapping, not a list",
            "t.yaml:6:1 TL004 a manifest document must be a mapping, not a string",
        ])
        #expect(r.documentCount == 2)
    }

    @Test func limitsAreFindings() {
        let linter = Linter(pack: builtinPack, options: LintOptions(limits: Limits(maxDepth: 5), today: testToday))
        let r = linter.lint([InputFile(path: "deep.yaml", bytes: Array("spec: [[[[[[1]]]]]]\n".utf8))])
        #expect(structural(r) == ["deep.yaml:1:11 TL001 nesting is deeper than 5 levels; the rest of the file is not read"])
    }

    @Test func findingsAreSortedByFileLineColumnCode() {
        let r = lint([("z.yaml", tenantHeader + "spec: {plan: X, zz: 1}\n"), ("a.yaml", "spec: [\n")])
        #expect(structural(r).map { String($0.prefix(while: { $0 != " " })) } == ["a.yaml:2:1", "z.yaml:4:14", "z.yaml:4:17"])
    }
}
