import Foundation
import BenchCorpus
import Testing
@testable import TenantLint

/// The subprocess half of CorpusGeneratorTests: the bench-corpus command.
@Suite struct CorpusGeneratorTests {
    @Test func benchCorpusCommandWritesTheFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary).deletingLastPathComponent().appendingPathComponent("bench-corpus")
        p.arguments = [dir, "--tenants", "4"]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
        #expect(stdout.hasPrefix("wrote 6 files ("))
        #expect(stdout.hasSuffix(" to \(dir); lint with --today 2026-01-01\n"))
        let lint = try CLI.run(["lint", dir, "--today", CorpusGenerator.today, "--no-config"])
        #expect(lint.status == 0)
        #expect(lint.stdout == "no findings in 6 files\n")
        // Not a command of the shipped tenantlint (a path to it instead).
        let help = try CLI.run(["--help"])
        #expect(!help.stdout.contains("bench-corpus"))
        #expect(try CLI.run(["bench-corpus", "--no-config"]).stderr == "tenantlint: error: bench-corpus: No such file or directory\n")
    }
}
