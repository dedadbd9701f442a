/// `lint`'s arguments in their common forms, read without
/// swift-argument-parser. Parsing with it costs a small file's run about a
/// sixth of its instructions (building the option set by reflection, the
/// Swift runtime's first look-ups of the property wrappers' types and
/// conformances), more than linting the file.
///
/// Only what is certain to parse the same way is read here: paths (an
/// argument not starting with `-`, or `-` itself), `--name value` and
/// `--name=value` for `lint`'s own options, its flags, `-q`, `-j N` and
/// `-jN`, each scalar option and flag at most once, and values that do not
/// start with `-`. Anything else (help, unknown or repeated options, `--`,
/// grouped short flags, a value that fails to convert or to validate) gives
/// nil, and the arguments go through swift-argument-parser, which reports
/// what is wrong in its own words. LintArgumentsCommonTests checks that both
/// ways give the same `LintArguments`.
extension LintArguments {
    /// The options that take a value, by long name.
    enum Valued: CaseIterable {
        case stdinFilename, format, failOn, config, baseline, writeBaseline, color, today, actual, rules, context
        case maxFileSize, maxDepth, maxAliasExpansion, maxDocuments, maxRuleSteps, jobs, select, ignore

        var name: String {
            switch self {
            case .stdinFilename: "--stdin-filename"
            case .format: "--format"
            case .failOn: "--fail-on"
            case .config: "--config"
            case .baseline: "--baseline"
            case .writeBaseline: "--write-baseline"
            case .color: "--color"
            case .today: "--today"
            case .actual: "--actual"
            case .rules: "--rules"
            case .context: "--context"
            case .maxFileSize: "--max-file-size"
            case .maxDepth: "--max-depth"
            case .maxAliasExpansion: "--max-alias-expansion"
            case .maxDocuments: "--max-documents"
            case .maxRuleSteps: "--max-rule-steps"
            case .jobs: "--jobs"
            case .select: "--select"
            case .ignore: "--ignore"
            }
        }

        /// Repeatable (an array option).
        var repeats: Bool {
            switch self {
            case .format, .rules, .context, .select, .ignore: true
            default: false
            }
        }
    }

    /// The flags, by long name.
    enum Flag: CaseIterable {
        case noConfig, prune, requireSuppressionReason, noSnippet, followSymlinks, timings, quiet, statistics
        case failOnEmpty, fix, unsafeFixes, diff, addSuppressions

        var name: String {
            switch self {
            case .noConfig: "--no-config"
            case .prune: "--prune"
            case .requireSuppressionReason: "--require-suppression-reason"
            case .noSnippet: "--no-snippet"
            case .followSymlinks: "--follow-symlinks"
            case .timings: "--timings"
            case .quiet: "--quiet"
            case .statistics: "--statistics"
            case .failOnEmpty: "--fail-on-empty"
            case .fix: "--fix"
            case .unsafeFixes: "--unsafe-fixes"
            case .diff: "--diff"
            case .addSuppressions: "--add-suppressions"
            }
        }
    }

    /// The arguments after `lint`, when every one is in a common form and
    /// they pass `validate()`; nil otherwise.
    static func parseCommon(_ arguments: [String]) -> LintArguments? {
        var parsed = LintArguments()
        var given: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            i += 1
            if argument == "-" || (!argument.isEmpty && !argument.hasPrefix("-")) {
                parsed.paths.append(argument)
                continue
            }
            var name: String
            var value: String?
            if argument.hasPrefix("--") {
                if let equals = argument.firstIndex(of: "=") {
                    name = String(argument[..<equals])
                    value = String(argument[argument.index(after: equals)...])
                } else {
                    name = argument
                }
            } else if argument == "-q" {
                name = "--quiet"
            } else if argument == "-j" {
                name = "--jobs"
            } else if argument.hasPrefix("-j") {
                name = "--jobs"
                value = String(argument.dropFirst(2))
            } else {
                return nil
            }
            if let flag = Flag.allCases.first(where: { $0.name == name }) {
                guard value == nil, !given.contains(name) else { return nil }
                given.append(name)
                parsed.set(flag)
                continue
            }
            guard let option = Valued.allCases.first(where: { $0.name == name }) else { return nil }
            if value == nil {
                guard i < arguments.count else { return nil }
                value = arguments[i]
                i += 1
            }
            guard let value, !value.isEmpty, !value.hasPrefix("-") else { return nil }
            if !option.repeats {
                guard !given.contains(name) else { return nil }
                given.append(name)
            }
            guard parsed.set(option, value) else { return nil }
        }
        guard (try? parsed.validate()) != nil else { return nil }
        return parsed
    }

    private mutating func set(_ flag: Flag) {
        switch flag {
        case .noConfig: noConfig = true
        case .prune: prune = true
        case .requireSuppressionReason: requireSuppressionReason = true
        case .noSnippet: noSnippet = true
        case .followSymlinks: followSymlinks = true
        case .timings: timings = true
        case .quiet: quiet = true
        case .statistics: statistics = true
        case .failOnEmpty: failOnEmpty = true
        case .fix: fix = true
        case .unsafeFixes: unsafeFixes = true
        case .diff: diff = true
        case .addSuppressions: addSuppressions = true
        }
    }

    /// Sets an option; false when an integer's value is not an integer.
    private mutating func set(_ option: Valued, _ value: String) -> Bool {
        switch option {
        case .stdinFilename: stdinFilename = value
        case .format: formats.append(value)
        case .failOn: failOn = value
        case .config: configPath = value
        case .baseline: baselinePath = value
        case .writeBaseline: writeBaseline = value
        case .color: color = value
        case .today: today = value
        case .actual: actual = value
        case .rules: ruleDirectories.append(value)
        case .context: contextPaths.append(value)
        case .select: select.append(value)
        case .ignore: ignore.append(value)
        case .maxFileSize, .maxDepth, .maxAliasExpansion, .maxDocuments, .maxRuleSteps, .jobs:
            guard let n = Int(value) else { return false }
            switch option {
            case .maxFileSize: maxFileSize = n
            case .maxDepth: maxDepth = n
            case .maxAliasExpansion: maxAliasExpansion = n
            case .maxDocuments: maxDocuments = n
            case .maxRuleSteps: maxRuleSteps = n
            default: jobs = n
            }
        }
        return true
    }
}
