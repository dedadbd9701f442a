import Foundation
import Testing

/// Runs the built `tenantlint` binary.
struct CLI {
    static let binary: String = {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir.appendingPathComponent("tenantlint").path, repoRoot + "/.build/debug/tenantlint"]
        where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return repoRoot + "/.build/debug/tenantlint"
    }()

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ args: [String], stdin: String? = nil, cwd: String = repoRoot, env: [String: String] = [:]) throws -> Output {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cwd)
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "GITHUB_ACTIONS")
        environment.removeValue(forKey: "GITHUB_STEP_SUMMARY")
        environment["NO_COLOR"] = "1"
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }
}

@Suite(.serialized) struct CLITests {
    @Test func cleanSamplesExitZero() throws {
        let r = try CLI.run(["lint", "samples/clean"])
        #expect(r.status == 0)
        #expect(r.stdout == "no findings in 3 files\n")
        #expect(r.stderr == "")
    }

    @Test func lintIsTheDefaultCommand() throws {
        let r = try CLI.run(["samples/clean"])
        #expect(r.status == 0)
        #expect(r.stdout == "no findings in 3 files\n")
    }

    @Test func violationsExitOneAndShowEveryStructuralCode() throws {
        let r = try CLI.run(["lint", "samples/violations", "--no-snippet", "--today", "2026-06-01"])
        #expect(r.status == 1)
        for code in ["TL001", "TL002", "TL003", "TL004", "TL005", "TL006", "TL007", "TL008", "TL010"] {
            #expect(r.stdout.contains("[\(code) "), "missing \(code)")
        }
    }

    @Test func failOnLevels() throws {
        let dir = try temporaryDirectory()
        let file = dir + "/w.yaml"
        try (tenantHeader + "spec:\n  sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}\n  externalAccess:\n    allowedDomains: []\n    allowPublicUsers: false\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try CLI.run(["lint", file]).status == 0)
        #expect(try CLI.run(["lint", file, "--fail-on", "warning"]).status == 1)
        #expect(try CLI.run(["lint", file, "--fail-on", "info"]).status == 1)
        #expect(try CLI.run(["lint", "samples/violations", "--fail-on", "never"]).status == 0)
    }

    @Test func textFormatLineSnippetAndSummary() throws {
        let r = try CLI.run(["lint", "-", "--stdin-filename", "contoso.yaml"],
                            stdin: tenantHeader + "spec:\n" + quietSpec + "  plan: E3\n  plan: E5\n")
        #expect(r.status == 1)
        #expect(r.stdout == """
        contoso.yaml:8:3: error: duplicate key 'plan' [TL002 duplicate-key]
           8 |   plan: E5
             |   ^~~~
        contoso.yaml:7:3: note: first defined here
           7 |   plan: E3
             |   ^~~~
        1 error in 1 file

        """)
    }

    @Test func noSnippetAndColor() throws {
        let r = try CLI.run(["lint", "-", "--no-snippet", "--color", "always"], stdin: tenantHeader + "spec:\n" + quietSpec + "  plan: E4\n")
        #expect(r.stdout.hasPrefix("\u{1B}[1m<stdin>:7:9:\u{1B}[0m \u{1B}[1;31merror:\u{1B}[0m 'E4' is not a valid spec.plan"))
        let plain = try CLI.run(["lint", "-", "--no-snippet", "--color", "auto"], stdin: tenantHeader + "spec:\n" + quietSpec + "  plan: E4\n")
        #expect(!plain.stdout.contains("\u{1B}"))
    }

    @Test func jsonFormatFieldByField() throws {
        let r = try CLI.run(["lint", "-", "--stdin-filename", "samples/x.yaml", "--format", "json"],
                            stdin: tenantHeader + "spec:\n" + quietSpec + "  plan: E3\n  plan: E5\n")
        #expect(r.status == 1)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["version"] as? Int == 1)
        let tool = try #require(json["tool"] as? [String: Any])
        #expect(tool["name"] as? String == "tenantlint")
        #expect(tool["version"] as? String == "0.1.0")
        let findings = try #require(json["findings"] as? [[String: Any]])
        #expect(findings.count == 1)
        let f = findings[0]
        #expect(f["file"] as? String == "samples/x.yaml")
        #expect(f["line"] as? Int == 8)
        #expect(f["column"] as? Int == 3)
        #expect(f["endLine"] as? Int == 8)
        #expect(f["endColumn"] as? Int == 7)
        #expect(f["severity"] as? String == "error")
        #expect(f["code"] as? String == "TL002")
        #expect(f["name"] as? String == "duplicate-key")
        #expect(f["message"] as? String == "duplicate key 'plan'")
        let related = try #require(f["related"] as? [[String: Any]])
        #expect(related.count == 1)
        #expect(related[0]["file"] as? String == "samples/x.yaml")
        #expect(related[0]["line"] as? Int == 7)
        #expect(related[0]["column"] as? Int == 3)
        #expect(related[0]["endLine"] as? Int == 7)
        #expect(related[0]["endColumn"] as? Int == 7)
        #expect(related[0]["message"] as? String == "first defined here")
        let summary = try #require(json["summary"] as? [String: Any])
        #expect(summary["files"] as? Int == 1)
        #expect(summary["documents"] as? Int == 1)
        #expect(summary["errors"] as? Int == 1)
        #expect(summary["warnings"] as? Int == 0)
        #expect(summary["infos"] as? Int == 0)
        // Keys come in the documented order.
        #expect(r.stdout.hasPrefix("{\n  \"version\": 1,\n  \"tool\": {\n    \"name\": \"tenantlint\","))
    }

    @Test func formatToFileWritesAtomicallyAndKeepsStdoutForText() throws {
        let dir = try temporaryDirectory()
        let r = try CLI.run(["lint", "samples/clean", "--format", "text", "--format", "json=\(dir)/out/report.json"])
        #expect(r.status == 0)
        #expect(r.stdout == "no findings in 3 files\n")
        let written = try String(contentsOfFile: dir + "/out/report.json", encoding: .utf8)
        #expect(written.contains("\"files\": 3"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/out") == ["report.json"])
    }

    @Test func missingPathIsAUsageErrorButOthersAreStillLinted() throws {
        let r = try CLI.run(["lint", "samples/clean", "does/not/exist.yaml"])
        #expect(r.status == 2)
        #expect(r.stdout == "no findings in 3 files\n")
        #expect(r.stderr == "tenantlint: error: does/not/exist.yaml: No such file or directory\n")
    }

    @Test func unreadableInputsExitTwo() throws {
        let dir = try temporaryDirectory()
        // Root can read any regular file, so "unreadable" here is a FIFO and a dangling link.
        #expect(mkfifo(dir + "/pipe.yaml", 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: dir + "/gone.yaml", withDestinationPath: dir + "/nowhere.yaml")
        let fifo = try CLI.run(["lint", dir + "/pipe.yaml"])
        #expect(fifo.status == 2)
        #expect(fifo.stderr == "tenantlint: error: \(dir)/pipe.yaml: is a FIFO, not a regular file; pipe it to 'tenantlint lint -' instead\n")
        let dangling = try CLI.run(["lint", dir])
        #expect(dangling.status == 2)
        #expect(dangling.stderr == "tenantlint: error: \(dir)/gone.yaml: dangling symbolic link\ntenantlint: error: \(dir)/pipe.yaml: is not a regular file\n")
    }

    @Test func directoryWalkSkipsHiddenAndSurvivesSymlinkLoops() throws {
        let dir = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir + "/sub/.hidden", withIntermediateDirectories: true)
        try (tenantHeader + "spec:\n" + quietSpec + "  plan: E9\n").write(toFile: dir + "/sub/a.yml", atomically: true, encoding: .utf8)
        try (tenantHeader + "spec: {plan: E9}\n").write(toFile: dir + "/sub/.hidden/b.yaml", atomically: true, encoding: .utf8)
        try "not yaml".write(toFile: dir + "/sub/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: dir + "/sub/loop", withDestinationPath: dir)
        let r = try CLI.run(["lint", dir, "--no-snippet"])
        #expect(r.status == 1)
        #expect(r.stdout == "\(dir)/sub/a.yml:7:9: error: 'E9' is not a valid spec.plan; expected one of BusinessBasic, BusinessStandard, BusinessPremium, BusinessEssentials, E1, E3, E5, F1, F3, A1, A3, A5, ExchangeOnlinePlan1, ExchangeOnlinePlan2, SharePointPlan1, SharePointPlan2; did you mean 'E1'? [TL004 invalid-value]\n1 error in 1 file\n")
    }

    @Test func badInputsGiveFindingsNotCrashes() throws {
        let dir = try temporaryDirectory()
        FileManager.default.createFile(atPath: dir + "/empty.yaml", contents: Data())
        try "# just a comment\n".write(toFile: dir + "/comment.yaml", atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: dir + "/binary.yaml", contents: Data([0x7F, 0x45, 0x4C, 0x46, 0, 1, 2]))
        FileManager.default.createFile(atPath: dir + "/latin1.yaml", contents: Data("a: caf".utf8 + [0xE9] + "\n".utf8))
        try "a:\n\tb: 1\n".write(toFile: dir + "/tabs.yaml", atomically: true, encoding: .utf8)
        try (String(repeating: "[", count: 100_000)).write(toFile: dir + "/deep.yaml", atomically: true, encoding: .utf8)
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        var prev = "a"
        for n in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            bomb += "\(n): &\(n) [" + Array(repeating: "*\(prev)", count: 10).joined(separator: ", ") + "]\n"
            prev = n
        }
        try bomb.write(toFile: dir + "/bomb.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", dir, "--no-snippet"])
        #expect(r.status == 1)
        let lines = r.stdout.split(separator: "\n").map { $0.replacingOccurrences(of: dir + "/", with: "") }
        #expect(lines == [
            "binary.yaml:1:1: error: control characters are not allowed (byte 0x7F) [TL001 yaml-syntax]",
            // The document the bomb cut short gets no schema findings.
            "bomb.yaml:5:36: error: aliases expand to more than 100000 nodes (an alias bomb?); the rest of the file is not read [TL001 yaml-syntax]",
            "deep.yaml:1:1: error: a manifest document must be a mapping, not a list [TL004 invalid-value]",
            "deep.yaml:1:257: error: nesting is deeper than 256 levels; the rest of the file is not read [TL001 yaml-syntax]",
            "latin1.yaml:1:7: error: incomplete UTF-8 octet sequence [TL001 yaml-syntax]",
            "tabs.yaml:2:1: error: found character that cannot start any token while scanning for the next token started at 2:1 [TL001 yaml-syntax]",
            "6 errors in 7 files",
        ])
    }

    @Test func largeFileAndSizeLimit() throws {
        let dir = try temporaryDirectory()
        var text = tenantHeader + "spec:\n" + quietSpec + "  domains: [contoso.com]\n  subscriptions: [{sku: ENTERPRISEPACK, seats: 500000}]\n  users:\n"
        var i = 0
        while text.utf8.count < 20 << 20 {
            text += "    - upn: someone.with.a.long.name.\(i)@contoso.com\n      licenses: [ENTERPRISEPACK]\n"
            i += 1
        }
        try text.write(toFile: dir + "/big.yaml", atomically: true, encoding: .utf8)
        let r = try CLI.run(["lint", dir + "/big.yaml", "--no-snippet"])
        #expect(r.stdout == "no findings in 1 file\n")
        #expect(r.status == 0)
        let limited = try CLI.run(["lint", dir + "/big.yaml", "--max-file-size", "1000"])
        #expect(limited.status == 2)
        #expect(limited.stderr == "tenantlint: error: \(dir)/big.yaml: file is larger than the limit of 1000 bytes (--max-file-size)\n")
    }

    @Test func usageErrorsExitTwo() throws {
        let failOn = try CLI.run(["lint", "samples/clean", "--fail-on", "sometimes"])
        #expect(failOn.status == 2)
        #expect(failOn.stderr.hasPrefix("Error: --fail-on must be error, warning, info or never, not 'sometimes'"))
        let format = try CLI.run(["lint", "samples/clean", "--format", "yaml"])
        #expect(format.status == 2)
        #expect(format.stderr.hasPrefix("Error: unknown --format 'yaml'; expected one of text, json"))
        let today = try CLI.run(["lint", "samples/clean", "--today", "2026-02-30"])
        #expect(today.status == 2)
        let flag = try CLI.run(["lint", "--no-such-flag"])
        #expect(flag.status == 2)
        // Two formats to standard output would interleave (issue 10.7).
        let two = try CLI.run(["lint", "samples/clean", "--format", "json", "--format", "sarif"])
        #expect(two.status == 2)
        #expect(two.stdout == "")
        #expect(two.stderr.hasPrefix("Error: --format json and --format sarif would both write to standard output; write all but one to a file (--format FORMAT=FILE)\n"))
    }

    @Test func versionAndHelp() throws {
        let v = try CLI.run(["--version"])
        #expect(v.status == 0)
        #expect(v.stdout == "0.1.0\n")
        let h = try CLI.run(["lint", "--help"])
        #expect(h.status == 0)
        #expect(h.stdout.contains("--fail-on <severity>"))
        #expect(h.stdout.contains("--stdin-filename <name>"))
    }
}
