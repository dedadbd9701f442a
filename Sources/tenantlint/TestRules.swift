import ArgumentParser
import TenantLint

struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-rules",
        abstract: "Run the examples of rules as tests.",
        discussion: """
        With no DIR, runs the examples of the built-in rules. With DIR, runs the examples of \
        every .yaml and .yml rule file in DIR, recursively; with FILE, of that rule file (the built-in rules are loaded too, so examples see the whole pack). \
        Each example is linted on its own; findings of the example's rule must start exactly on \
        the lines marked '# expect: CODE', and an example without markers must produce none. \
        Exit 1 when any example fails.
        """
    )

    @Argument(help: ArgumentHelp("Directories of rule files, or rule files, whose examples to run.", valueName: "dir|file"))
    var directories: [String] = []

    @Option(help: ArgumentHelp("The date examples without their own 'today:' are judged on (default 2026-01-01).", valueName: "date"))
    var today: String = "2026-01-01"

    @Flag(name: .shortAndLong, help: "List passing examples too.")
    var verbose = false

    func validate() throws {
        if DateValue.parse(today) == nil { throw ValidationError("--today must be a date written YYYY-MM-DD, not '\(today)'") }
    }

    func run() throws {
        let pack = try loadPack(ruleDirectories: directories)
        let runner = ExampleRunner(pack: pack, today: DateValue.parse(today) ?? 0)
        let userPaths = Set(RulePack.readRuleDirectories(directories).sources.map(\.path))
        let rules = pack.catalog.rules.filter { directories.isEmpty ? pack.builtinCodes.contains($0.code) : userPaths.contains($0.path) }
        var passed = 0, failed = 0
        var out = ""
        for rule in rules {
            if rule.examples.isEmpty {
                // Engine built-ins such as TL000 may have no input that triggers them.
                if rule.builtin { continue }
                out += "FAIL \(rule.code) \(rule.name): no examples (\(rule.path))\n"
                failed += 1
                continue
            }
            for outcome in runner.run(rule) {
                let place = "\(rule.path):\(outcome.example.node.range.start.line)"
                if outcome.passed {
                    passed += 1
                    if verbose { out += "ok   \(rule.code) \(outcome.example.name)\n" }
                    continue
                }
                failed += 1
                out += "FAIL \(rule.code) \(outcome.example.name) (\(place))\n"
                for m in outcome.missing { out += "  - expected \(rule.code) at \(m), got none\n" }
                for u in outcome.unexpected { out += "  + unexpected \(rule.code) at \(u)\n" }
                for p in outcome.problems { out += "  ! \(p)\n" }
                for p in outcome.fixProblems {
                    out += (p.hasSuffix("\n") ? String(p.dropLast()) : p).split(separator: "\n", omittingEmptySubsequences: false).map { "  ~ " + $0 }.joined(separator: "\n") + "\n"
                }
            }
        }
        out += "\(passed) passed, \(failed) failed\n"
        Terminal.write(out)
        if failed > 0 { throw ExitCode(1) }
    }
}
