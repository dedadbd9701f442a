import ArgumentParser
import TenantLint

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Write Tenant manifests from settings exports (ScubaGear, Microsoft Graph).",
        discussion: "See docs/import.md for how to produce each export and what maps to what.",
        subcommands: [ImportScubaGear.self, ImportM365DSC.self]
    )
}

struct ImportScubaGear: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scubagear",
        abstract: "Write a Tenant manifest from a ScubaGear ProviderSettingsExport.json.",
        discussion: """
        Reads the export's collaboration sections (accepted domains, authorization policy, \
        Group.Unified settings, organization relationships, sharing policies, connectors, \
        remote domains, SharePoint, Teams federation and guest access) and writes DIR/NAME.yaml, \
        NAME being the tenant's display name in lowercase. Add the Microsoft Graph cross-tenant \
        access policy (GET /policies/crossTenantAccessPolicy/default and /partners, saved as JSON) \
        with --graph-cross-tenant-access.

        Exit codes: 0 written; 2 unreadable or malformed export (the message names the JSON path), \
        or the manifest exists and --force was not given.

        Example:
          tenantlint import scubagear ProviderSettingsExport.json --graph-cross-tenant-access default.json partners.json -o tenants/
        """
    )

    @Argument(help: ArgumentHelp("ScubaGear's ProviderSettingsExport.json.", valueName: "export.json"))
    var export: String

    @Option(name: .customLong("graph-cross-tenant-access"), parsing: .upToNextOption,
            help: ArgumentHelp("Microsoft Graph crossTenantAccessPolicy JSON: the default, the partners collection, or one partner. Repeatable.", valueName: "file"))
    var graph: [String] = []

    @Option(name: .customLong("graph-multitenant-organization"), parsing: .upToNextOption,
            help: ArgumentHelp("Microsoft Graph multiTenantOrganization JSON: the organization and/or its tenants collection. Repeatable.", valueName: "file"))
    var multiTenantOrganization: [String] = []

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The directory to write the manifest to (default: the current directory).", valueName: "dir"))
    var output: String = "."

    @Flag(name: .customLong("force"), help: "Replace a manifest that already exists.")
    var force = false

    func run() throws {
        let schema = try loadPack(ruleDirectories: [], builtinExamples: false).schema
        let tenant: ImportedTenant
        switch ExportImport.scubaGear(export, graph: graph, multiTenantOrganization: multiTenantOrganization, schema: schema) {
        case .success(let t): tenant = t
        case .failure(let e):
            Terminal.error("tenantlint: error: \(e.description)")
            throw ExitCode(2)
        }
        try writeImported(tenant, output: output, force: force)
    }
}

/// Writes an imported manifest to DIR/NAME.yaml: never over an existing
/// file without --force, atomically, and says what was written.
func writeImported(_ tenant: ImportedTenant, output: String, force: Bool) throws {
    let dir = output.hasSuffix("/") && output.count > 1 ? String(output.dropLast()) : output
    let target = dir + "/" + tenant.name + ".yaml"
    if !force, case .success = FileSystem.info(target) {
        Terminal.error("tenantlint: error: \(target) exists; use --force to replace it")
        throw ExitCode(2)
    }
    // Other documents (a multitenant organization) are the same for every
    // tenant of the organization: an identical file is left as it is. All
    // checks come before any write.
    var pending: [(String, (name: String, yaml: String))] = []
    for doc in tenant.extraDocuments {
        let path = dir + "/" + doc.name + ".yaml"
        if case .success(let old) = FileSystem.read(path, limit: 64 << 20) {
            if old == Array(doc.yaml.utf8) { continue }
            if !force {
                Terminal.error("tenantlint: error: \(path) exists and differs; use --force to replace it")
                throw ExitCode(2)
            }
        }
        pending.append((path, doc))
    }
    FileSystem.makeDirectories(dir)
    if case .failure(let e) = FileSystem.writeAtomically(target, Array(tenant.yaml.utf8)) {
        Terminal.error("tenantlint: error: cannot write \(target): \(e.message)")
        throw ExitCode(2)
    }
    let ignored = tenant.ignoredFields.reduce(0) { $0 + $1.count }
    var note = "\(tenant.notHeld.count) value(s) the manifest cannot hold, \(ignored) field(s) not imported"
    if !tenant.unknownSections.isEmpty { note += ", \(tenant.unknownSections.count) unknown section(s)" }
    Terminal.write("wrote \(target) (\(note); see its header comment)\n")
    for (path, doc) in pending {
        if case .failure(let e) = FileSystem.writeAtomically(path, Array(doc.yaml.utf8)) {
            Terminal.error("tenantlint: error: cannot write \(path): \(e.message)")
            throw ExitCode(2)
        }
        Terminal.write("wrote \(path)\n")
    }
}

struct ImportM365DSC: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "m365dsc",
        abstract: "Write a Tenant manifest from a Microsoft365DSC JSON report.",
        discussion: """
        REPORT.json is New-M365DSCReportFromConfiguration -Type JSON of an exported configuration. \
        Reads SPOSharingSettings, TeamsFederationConfiguration, TeamsClientConfiguration, \
        EXOOrganizationRelationship, EXOSharingPolicy, EXOInboundConnector, EXOOutboundConnector, \
        EXORemoteDomain, EXOAcceptedDomain, AADAuthorizationPolicy, AADGroupsSettings and \
        AADCrossTenantAccessPolicyConfigurationDefault/Partner. Exit codes as for 'import scubagear'.
        """
    )

    @Argument(help: ArgumentHelp("The Microsoft365DSC JSON report.", valueName: "report.json"))
    var report: String

    @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("The directory to write the manifest to (default: the current directory).", valueName: "dir"))
    var output: String = "."

    @Option(name: .customLong("name"), help: ArgumentHelp("metadata.name of the tenant (default: from the configuration's TenantId).", valueName: "name"))
    var name: String?

    @Flag(name: .customLong("force"), help: "Replace a manifest that already exists.")
    var force = false

    func validate() throws {
        if let name, ScubaGearImporter.slug(name) != name {
            throw ValidationError("--name must be lowercase letters, digits and '-', not '\(name)'")
        }
    }

    func run() throws {
        let schema = try loadPack(ruleDirectories: [], builtinExamples: false).schema
        switch ExportImport.m365dsc(report, schema: schema, name: name) {
        case .success(let t): try writeImported(t, output: output, force: force)
        case .failure(let e):
            Terminal.error("tenantlint: error: \(e.description)")
            throw ExitCode(2)
        }
    }
}
