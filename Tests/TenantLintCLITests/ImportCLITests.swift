import Foundation
import Testing
@testable import TenantLint

@Suite(.serialized) struct ImportCLITests {
    @Test func writesOnceAndNeverOverwritesWithoutForce() throws {
        let dir = try temporaryDirectory()
        let args = ["import", "scubagear", importFixtures + "/contoso-export.json", "-o", dir + "/out"]
        let first = try CLI.run(args)
        #expect(first.status == 0)
        #expect(first.stdout == "wrote \(dir)/out/contoso.yaml (2 value(s) the manifest cannot hold, 12 field(s) not imported, 1 unknown section(s); see its header comment)\n")
        try "mine\n".write(toFile: dir + "/out/contoso.yaml", atomically: true, encoding: .utf8)
        let second = try CLI.run(args)
        #expect(second.status == 2)
        #expect(second.stderr == "tenantlint: error: \(dir)/out/contoso.yaml exists; use --force to replace it\n")
        #expect(try String(contentsOfFile: dir + "/out/contoso.yaml", encoding: .utf8) == "mine\n")
        let forced = try CLI.run(args + ["--force"])
        #expect(forced.status == 0)
        #expect(try String(contentsOfFile: dir + "/out/contoso.yaml", encoding: .utf8).hasPrefix("# Imported by tenantlint from contoso-export.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out") == ["contoso.yaml"])
    }

    @Test func malformedExportExitsTwoWithThePosition() throws {
        let dir = try temporaryDirectory()
        try "{\n  \"SPO_tenant\": [\n    {\"SharingCapability\": }\n  ]\n}\n".write(toFile: dir + "/bad.json", atomically: true, encoding: .utf8)
        let r = try CLI.run(["import", "scubagear", dir + "/bad.json", "-o", dir])
        #expect(r.status == 2)
        #expect(r.stderr == "tenantlint: error: \(dir)/bad.json: 3:27: invalid JSON: expected a value, found '}'\n")
        try "{\"SPO_tenant\": [{\"SharingCapability\": 9}]}".write(toFile: dir + "/bad2.json", atomically: true, encoding: .utf8)
        let r2 = try CLI.run(["import", "scubagear", dir + "/bad2.json", "-o", dir])
        #expect(r2.status == 2)
        #expect(r2.stderr == "tenantlint: error: \(dir)/bad2.json: SPO_tenant[0].SharingCapability: expected 0, 1, 2, 3 (Microsoft's SharingCapabilities), found 9\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["bad.json", "bad2.json"])
    }
}

@Suite(.serialized) struct M365DSCCLITests {
    @Test func importWritesTheManifest() throws {
        let dir = try temporaryDirectory()
        let r = try CLI.run(["import", "m365dsc", m365Fixtures + "/contoso-report.json", "-o", dir])
        #expect(r.status == 0)
        #expect(r.stdout == "wrote \(dir)/contoso.yaml (0 value(s) the manifest cannot hold, 12 field(s) not imported, 1 unknown section(s); see its header comment)\n")
        #expect(try String(contentsOfFile: dir + "/contoso.yaml", encoding: .utf8) == (try String(contentsOfFile: m365Fixtures + "/contoso.expected.yaml", encoding: .utf8)))
        let again = try CLI.run(["import", "m365dsc", m365Fixtures + "/contoso-report.json", "-o", dir])
        #expect(again.status == 2)
        let badName = try CLI.run(["import", "m365dsc", m365Fixtures + "/contoso-report.json", "--name", "Contoso Ltd"])
        #expect(badName.status == 2)
        #expect(badName.stderr.contains("--name must be lowercase letters, digits and '-', not 'Contoso Ltd'"))
    }
}
