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
        public var passed: Bool { missing.isEmpty && unexpected.isEmpty && problems.isEmpty }
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
        for file in example.files {
            let directives = Loader().load(Source(path: file.name, text: file.text)).directives
            for d in directives where d.kind == .expect {
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
        return Outcome(rule: rule, example: example, missing: missing, unexpected: unexpected, problems: problems)
    }
}
