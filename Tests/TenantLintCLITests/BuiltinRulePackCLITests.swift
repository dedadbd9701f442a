import Foundation
import Testing
@testable import TenantLint

/// The subprocess half of BuiltinRulePackTests: the generate-rule-pack executable.
@Suite struct BuiltinRulePackTests {
    /// The generator refuses a rule file whose examples are not its last
    /// key (the pack's text would not be a prefix of the file).
    @Test func generatorRejectsExamplesBeforeOtherKeys() throws {
        let dir = try temporaryDirectory()
        FileSystem.makeDirectories(dir + "/rules/teams")
        FileSystem.makeDirectories(dir + "/docs")
        _ = FileSystem.writeAtomically(dir + "/docs/functions.md", Array("| function | call | description |\n".utf8))
        _ = FileSystem.writeAtomically(dir + "/rules/teams/ACME001-x.yaml",
                                       Array("code: ACME001\nexamples:\n  - name: x\n# c\n\n- name: y\nmessage: m\n".utf8))
        let generator = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("generate-rule-pack").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: generator)
        p.arguments = ["--check", "--root", dir]
        let err = Pipe()
        p.standardError = err
        try p.run()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        #expect(p.terminationStatus == 1)
        #expect(String(decoding: e, as: UTF8.self)
                == "generate-rule-pack: error: rules/teams/ACME001-x.yaml:7: 'examples:' must be the last top-level key of a rule file (found 'message: m' after it)\n")
    }
}
