import Foundation
import Testing
@testable import TenantLint

/// The subprocess half of BuiltinRuleNodesTests: the generate-rule-pack executable.
@Suite struct BuiltinRuleNodesTests {
    /// A YAML problem in a file of the pack stops the generator, with its position.
    @Test func generatorRejectsAFileWithAYAMLProblem() throws {
        let dir = try temporaryDirectory()
        FileSystem.makeDirectories(dir + "/rules/teams")
        FileSystem.makeDirectories(dir + "/docs")
        _ = FileSystem.writeAtomically(dir + "/docs/functions.md", Array("| function | call | description |\n".utf8))
        _ = FileSystem.writeAtomically(dir + "/rules/teams/ACME001-x.yaml", Array("code: ACME001\nname: x\ncode: ACME002\n".utf8))
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
        #expect(String(decoding: e, as: UTF8.self) == "generate-rule-pack: error: rules/teams/ACME001-x.yaml:3:1: duplicate key 'code'\n")
    }
}
