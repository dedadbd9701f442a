import YAMLSource

/// Runs the examples of rule files: each example is linted as its own run
/// with the whole pack, and the findings of the example's rule must start
/// exactly on the lines marked `# expect: CODE` (an example without markers
/// must produce none).
public struct ExampleRunner: Sendable {
    public let pack: RulePack
    /// The date examples without their own `today:` are judged on.
    public let today: Int

    public init(pack: RulePack, today: Int) {
        self.pack = pack
        self.today = today
    }

    public struct Outcome: Sendable {
        public let rule: RuleFile
        public let example: RuleExample
        /// `file:line` places marked but not found, as "file:line".
        public let missing: [String]
        /// Findings of the rule on lines not marked, as "file:line: message".
        public let unexpected: [String]
        /// Markers naming an unknown rule, as "file:line: message".
        public let problems: [String]
        /// How fixing differed from `fixed:` (empty when it matched, or there is none).
        public var fixProblems: [String] = []
        public var passed: Bool { missing.isEmpty && unexpected.isEmpty && problems.isEmpty && fixProblems.isEmpty }
    }

    public func run(_ rule: RuleFile) -> [Outcome] {
        rule.examples.map { run(rule, $0) }
    }

    public func run(_ rule: RuleFile, _ example: RuleExample) -> Outcome {
        let inputs = example.files.map { InputFile(path: $0.name, bytes: Array($0.text.utf8)) }
        let linter = Linter(pack: pack, options: LintOptions(today: example.today ?? today))
        // Examples see suppressions too (no configuration applies).
        let result = FindingFilter(catalog: pack.catalog, configuration: { _ in nil }).apply(linter.lint(inputs))
        var expected: [String] = []
        var problems: [String] = []
        // The `# expect:` markers, as the linter read them from each file.
        var seen = Set<String>()
        for file in example.files where seen.insert(file.name).inserted {
            for d in result.directives[file.name] ?? [] where d.kind == .expect {
                for code in d.expectedCodes {
                    if code == rule.code || code == rule.name {
                        expected.append("\(file.name):\(d.line)")
                    } else if pack.catalog.rule(code) == nil {
                        problems.append("\(file.name):\(d.line): '# expect: \(code)' names no known rule")
                    }
                }
            }
        }
        var missing = expected
        var unexpected: [String] = []
        for f in result.findings where f.code == rule.code {
            let place = "\(f.location.file):\(f.location.range.start.line)"
            if let i = missing.firstIndex(of: place) {
                missing.remove(at: i)
            } else {
                unexpected.append("\(place):\(f.location.range.start.column): \(f.message)")
            }
        }
        var outcome = Outcome(rule: rule, example: example, missing: missing, unexpected: unexpected, problems: problems)
        if !example.fixed.isEmpty {
            outcome.fixProblems = checkFixes(rule, example, inputs: inputs, lint: { inputs in
                FindingFilter(catalog: pack.catalog, configuration: { _ in nil }).apply(linter.lint(inputs))
            })
        }
        return outcome
    }

    /// `fixed:` holds: applying the rule's fixes (all of them, safe and
    /// unsafe) gives exactly the expected files; fixing again changes
    /// nothing; and the fixed files no longer trigger the rule.
    func checkFixes(_ rule: RuleFile, _ example: RuleExample, inputs: [InputFile],
                    lint: ([InputFile]) -> LintResult) -> [String] {
        var fixer = Fixer(allowing: .unsafe)
        fixer.codes = [rule.code]
        let once = fixer.run(inputs, eligible: { _ in true }, lint: lint)
        var problems: [String] = []
        for file in once.files {
            let expected = example.fixed.first { $0.name == file.path }?.text
                ?? example.files.first { $0.name == file.path }?.text ?? ""
            let got = String(decoding: file.bytes, as: UTF8.self)
            if got != expected {
                problems.append("fixing \(file.path) gives another text than 'fixed':\n"
                    + UnifiedDiff.render(path: file.path, old: Array(expected.utf8), new: file.bytes))
            }
        }
        let twice = fixer.run(once.files, eligible: { _ in true }, lint: lint)
        if twice.fixed > 0 || !twice.changed.isEmpty {
            problems.append("fixing the fixed files again changes \(twice.changed.joined(separator: ", "))")
        }
        for f in once.result.findings where f.code == rule.code {
            problems.append("after fixing, \(rule.code) still reports \(f.location.file):\(f.location.range.start.line):\(f.location.range.start.column): \(f.message)")
        }
        return problems
    }
}
