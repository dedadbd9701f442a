import ArgumentParser
import TenantLint

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter .tenantlint.yml (never overwrites)."
    )

    @Option(help: ArgumentHelp("Where to write it.", valueName: "file"))
    var path: String = ".tenantlint.yml"

    static let starter = """
    # tenantlint configuration. Reference: docs/configuration.md
    # tenantlint finds this file by walking up from each linted file to the
    # repository root; --config FILE uses another, --no-config none.

    # Rule severities by code or name: off, error, warning or info.
    rules:
      TL308: info                 # external-sharing-untracked (this is its default; shown as an example)
      # TL405: off                # federation-open-to-all: we allow all known domains on purpose
      # external-sharing-untracked: warning

    # Per-path changes; globs are relative to this file (* within a directory,
    # ** across directories). Later entries win.
    # overrides:
    #   - files: ["legacy/**"]
    #     rules: {TL101: warning}

    # Files not to lint.
    # exclude: ["drafts/**"]

    # Directories of your own rule files (see docs/writing-rules.md).
    # rulesDirs: [policies]

    # The least severity that fails the run: error, warning, info or never.
    failOn: error

    # Pin "today" for date rules (TL702) to make runs reproducible.
    # today: 2026-01-01

    # Require a reason on every suppression comment: "# tenantlint: disable-line TL401 -- why".
    requireSuppressionReason: false

    """

    func run() throws {
        // A dangling symbolic link counts: writing through it would create
        // a file wherever it points.
        if FileSystem.isSymlink(path) && !FileSystem.exists(path) {
            throw UsageError(description: "\(path) is a dangling symbolic link; tenantlint init never overwrites a file")
        }
        if FileSystem.existsOrLinks(path) {
            throw UsageError(description: "\(path) already exists; tenantlint init never overwrites a file")
        }
        if case .failure(let e) = FileSystem.writeNew(path, Array(Self.starter.utf8)) {
            throw UsageError(description: "cannot write \(path): \(e.message)")
        }
        Terminal.write("wrote \(path)\n")
    }
}
