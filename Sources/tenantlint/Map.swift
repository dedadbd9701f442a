import ArgumentParser
import TenantLint

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Draw the collaboration map of manifests as Mermaid or Graphviz DOT.",
        discussion: """
        Tenants are nodes (organizations outside the run are dashed); Collaborations, Exchange \
        organization relationships (calendar), partner outbound connectors (mailFlow), Teams \
        federation allow lists (chat) and Entra cross-tenant access partners (b2b) are edges \
        labelled by service. An edge that a warning or error lies in is drawn red with the \
        rule codes. With GITHUB_STEP_SUMMARY set, the Mermaid map is appended to the job summary.

        Examples:
          tenantlint map samples/violations
          tenantlint map tenants/ --format dot | dot -Tsvg > map.svg
        """
    )

    @Argument(help: ArgumentHelp("Files or directories of manifests (default: the current directory).", valueName: "path"))
    var paths: [String] = ["."]

    @Option(help: ArgumentHelp("mermaid (default) or dot.", valueName: "format"))
    var format: String = "mermaid"

    @Option(help: ArgumentHelp("The date date-dependent rules treat as today, YYYY-MM-DD (default: the local date).", valueName: "date"))
    var today: String?

    @Flag(name: .customLong("no-config"), help: "Ignore .tenantlint.yml files.")
    var noConfig = false

    func validate() throws {
        guard ["mermaid", "dot"].contains(format) else {
            throw ValidationError("--format must be mermaid or dot, not '\(format)'")
        }
        if let today, DateValue.parse(today) == nil {
            throw ValidationError("--today must be a date written YYYY-MM-DD, not '\(today)'")
        }
    }

    func run() throws {
        // The same run as `lint` (configuration, exclusions, rule folders,
        // `today:`), through the library session; only the map is printed.
        var options = LintSessionOptions()
        options.paths = paths
        options.noConfig = noConfig
        options.today = today.flatMap(DateValue.parse)
        options.writesReports = false
        options.keepGoing = true
        let run = LintSession().run(options, output: LintSessionOutput(standardOutput: { _ in true },
                                                                       message: { Terminal.error($0) }))
        guard let result = run.result else { throw ExitCode(run.exitStatus) }
        let map = CollaborationMap.build(result)
        Terminal.write(format == "dot" ? map.dot() : map.mermaid())
        if let summary = Terminal.environment("GITHUB_STEP_SUMMARY"), !summary.isEmpty {
            FileSystem.append(summary, Array(("### Collaboration map\n\n```mermaid\n" + map.mermaid() + "```\n").utf8))
        }
        // Findings do not fail a map; problems with the inputs do (exit 2).
        if run.exitStatus == 2 { throw ExitCode(2) }
    }
}
