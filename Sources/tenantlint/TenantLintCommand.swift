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
            var command = try parseAsRoot()
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

/// A usage problem found after parsing (bad value combinations, missing files).
struct UsageError: Error, CustomStringConvertible {
    let description: String
}
