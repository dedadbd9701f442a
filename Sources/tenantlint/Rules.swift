import ArgumentParser
import TenantLint

struct Rules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "List the rules: code, name, severity and summary."
    )

    @Option(help: ArgumentHelp("Output format: text, json, or markdown (the rule reference, docs/rules.md).", valueName: "format"))
    var format: String = "text"

    @Option(name: .customLong("rules"), help: ArgumentHelp("A directory of your own rule files to include. Repeatable.", valueName: "dir"))
    var ruleDirectories: [String] = []

    func validate() throws {
        guard ["text", "json", "markdown"].contains(format) else {
            throw ValidationError("--format must be text, json or markdown, not '\(format)'")
        }
    }

    func run() throws {
        let pack = try loadPack(ruleDirectories: ruleDirectories)
        let rules = pack.catalog.rules
        if format == "markdown" {
            Terminal.write(RuleDocs.markdown(pack.catalog))
            return
        }
        if format == "json" {
            let items: [JSONValue] = rules.map { r in
                .object([("code", .string(r.code)), ("name", .string(r.name)), ("severity", .string(r.severity.rawValue)),
                         ("summary", .string(r.summary)), ("builtin", .bool(pack.builtinCodes.contains(r.code))),
                         ("path", .string(r.path)), ("tags", .array(r.tags.map { .string($0) }))])
            }
            Terminal.write(JSONValue.object([("rules", .array(items))]).serialized())
            return
        }
        let nameWidth = rules.map(\.name.count).max() ?? 4
        var out = ""
        for r in rules {
            let name = r.name + String(repeating: " ", count: nameWidth - r.name.count)
            let sev = r.severity.rawValue + String(repeating: " ", count: 7 - r.severity.rawValue.count)
            let tags = r.tags.isEmpty ? "" : "  [" + r.tags.joined(separator: ", ") + "]"
            out += "\(r.code)  \(name)  \(sev)  \(r.summary)\(tags)\n"
        }
        out += "\(rules.count) rules\n"
        Terminal.write(out)
    }
}

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a rule: what it checks, why, references and examples.",
        discussion: "Example: tenantlint explain TL401   (or by name: tenantlint explain teams-guests-while-guest-access-disabled)"
    )

    @Argument(help: ArgumentHelp("A rule code or name.", valueName: "rule"))
    var rule: String

    @Option(name: .customLong("rules"), help: ArgumentHelp("A directory of your own rule files to include. Repeatable.", valueName: "dir"))
    var ruleDirectories: [String] = []

    func run() throws {
        let pack = try loadPack(ruleDirectories: ruleDirectories)
        guard let r = pack.catalog.rule(rule) else {
            var message = "no rule '\(rule)'"
            if let s = pack.catalog.suggestion(for: rule) { message += "; did you mean '\(s)'?" }
            throw UsageError(description: message + " (see 'tenantlint rules')")
        }
        Terminal.write(RuleDocs.explain(r))
    }
}
