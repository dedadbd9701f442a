import ArgumentParser
import TenantLint

@main
struct TenantLintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenantlint",
        abstract: "Lint Microsoft 365 tenant collaboration manifests (policy as code).",
        discussion: """
        Checks YAML manifests (kinds Tenant, Collaboration, MultiTenantOrganization) against the v1 schema and \
        the built-in rules, and reports findings as file:line:col.

        Exit codes: 0 no finding at or above --fail-on; 1 there is one; \
        2 usage error, unreadable input, bad config or rule file.
        """,
        version: Version.current,
        subcommands: [Lint.self, Rules.self, Explain.self, TestRules.self, Init.self, Import.self, MapCommand.self, LSP.self],
        defaultSubcommand: Lint.self
    )

    /// Runs the command with tenantlint's exit codes: argument errors are
    /// usage errors (2), not swift-argument-parser's default 64.
    static func main() {
        do {
            let arguments = Array(CommandLine.arguments.dropFirst())
            if let lint = commonLintArguments(arguments) {
                try lint.run()
                Terminal.exit(0)
            }
            var command = try parseCommand(arguments)
            try command.run()
            Terminal.exit(0)
        } catch let exit as ExitCode {
            Terminal.exit(exit.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Terminal.write(fullMessage(for: error) + "\n")
                Terminal.exit(0)
            }
            Terminal.error(fullMessage(for: error))
            if !(error is UsageError) {
                Terminal.error("Run 'tenantlint --help' for usage.")
            }
            Terminal.exit(2)
        }
    }
}

extension TenantLintCommand {
    /// `parseAsRoot(arguments)`, quicker for `lint ARGS`: the arguments after
    /// `lint` are parsed by `Lint` as the root command, and that result is
    /// taken only when it is a `Lint` (not a help or other request) and no
    /// argument is one the root command answers itself (help, version,
    /// completion scripts); anything else, errors included, goes through
    /// `parseAsRoot` as before, so every message and exit code is its. Why:
    /// swift-argument-parser builds the argument set of the default
    /// subcommand (`lint`, three dozen options, by reflection) twice for
    /// each of its three passes that meet the word `lint`: a fifth of a
    /// small file's start-up.
    static func parseCommand(_ arguments: [String]) throws -> ParsableCommand {
        if let rest = lintArguments(arguments), let lint = (try? Lint.parseAsRoot(rest)) as? Lint {
            return lint
        }
        return try parseAsRoot(arguments)
    }

    /// The arguments after `lint` when `Lint` may parse them as the root
    /// command (above): the first is `lint` and none is one the root
    /// command answers itself.
    static func lintArguments(_ arguments: [String]) -> [String]? {
        guard arguments.first == "lint" else { return nil }
        let rest = Array(arguments.dropFirst())
        let rootsOwn: Set<String> = ["-h", "--help", "help", "--version", "-help"]
        if rest.contains(where: { rootsOwn.contains($0) || $0.hasPrefix("--generate-completion-script") || $0.hasPrefix("--experimental") }) {
            return nil
        }
        return rest
    }

    /// `lint ARGS` in their common forms, read without swift-argument-parser
    /// (`LintArguments.parseCommon`); nil for anything else, which
    /// `parseCommand` parses.
    static func commonLintArguments(_ arguments: [String]) -> LintArguments? {
        lintArguments(arguments).flatMap(LintArguments.parseCommon)
    }
}

/// A usage problem found after parsing (bad value combinations, missing files).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}
