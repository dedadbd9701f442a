import YAMLSource

/// A `.tenantlint.yml`: rule severities, per-path overrides, excluded files,
/// custom rule directories and run settings. Validated against its own JSON
/// Schema (rules/config-v1.schema.json) with the manifest validator.
public struct Configuration: Sendable {
    public static let fileNames = [".tenantlint.yml", ".tenantlint.yaml"]
    public static let schemaPath = "rules/config-v1.schema.json"

    /// A rule's setting: off, or a severity.
    public enum Setting: String, Sendable {
        case off, error, warning, info

        var severity: Severity? {
            switch self {
            case .off: return nil
            case .error: return .error
            case .warning: return .warning
            case .info: return .info
            }
        }
    }

    struct RuleEntry: Sendable {
        let name: String
        let setting: Setting
        let node: Node
    }

    struct Override: Sendable {
        let globs: [Glob]
        let rules: [RuleEntry]
    }

    /// The configuration file's path as it was found or given.
    public let path: String
    /// The directory globs and rulesDirs are relative to (absolute).
    public let directory: String
    var rules: [RuleEntry] = []
    var overrides: [Override] = []
    public private(set) var exclude: [Glob] = []
    public private(set) var rulesDirs: [String] = []
    /// `context:` paths (absolute), read for cross-file checks, not reported.
    public private(set) var context: [String] = []
    public private(set) var failOn: FailOn?
    public private(set) var today: Int?
    public private(set) var requireSuppressionReason: Bool?
    /// `select:` and `ignore:` (see `RuleSelection`); nil when neither is set.
    public private(set) var selection: RuleSelection?
    /// The nodes of the `select:` and `ignore:` entries, for errors.
    var selectorNodes: [(selector: String, node: Node)] = []
    public private(set) var maxRuleSteps: Int?

    /// Loads and validates a configuration file. Every problem is a
    /// `RuleLoadError` with its position (exit code 2).
    public static func load(path: String, bytes: [UInt8]) -> (Configuration?, [RuleLoadError]) {
        let source = Source(path: path, bytes: bytes)
        let loaded = Loader().load(source)
        var errors = loaded.problems.map { RuleLoadError($0.message, file: path, position: $0.range.start) }
        guard errors.isEmpty else { return (nil, errors) }
        var config = Configuration(path: path, directory: PathUtil.directory(of: PathUtil.absolute(path)))
        guard let root = loaded.documents.first?.root else { return (config, []) }  // an empty file is an empty config
        if root.scalar?.value == .null { return (config, []) }
        guard let schema = configSchema else {
            return (nil, [RuleLoadError("the built-in configuration schema does not load (a tenantlint bug)", file: path, position: root.range.start)])
        }
        for f in SchemaValidator(schema: schema).validate(root) {
            errors.append(RuleLoadError(f.message.replacingDocument(), file: path, position: f.location.range.start))
        }
        guard errors.isEmpty else { return (nil, errors) }
        config.rules = entries(root["rules"])
        for o in root["overrides"]?.sequence ?? [] {
            config.overrides.append(Override(globs: (o["files"]?.sequence ?? []).compactMap(\.text).map(Glob.init),
                                             rules: entries(o["rules"])))
        }
        config.exclude = (root["exclude"]?.sequence ?? []).compactMap(\.text).map(Glob.init)
        config.rulesDirs = (root["rulesDirs"]?.sequence ?? []).compactMap(\.text).map {
            $0.hasPrefix("/") ? $0 : PathUtil.join(config.directory, $0)
        }
        config.context = (root["context"]?.sequence ?? []).compactMap(\.text).map {
            $0.hasPrefix("/") ? $0 : PathUtil.join(config.directory, $0)
        }
        config.failOn = root["failOn"]?.text.flatMap(FailOn.init)
        config.today = root["today"]?.text.flatMap(DateValue.parse)
        if case .bool(let b)? = root["requireSuppressionReason"]?.scalar?.value { config.requireSuppressionReason = b }
        if root["select"] != nil || root["ignore"] != nil {
            func selectors(_ key: String) -> [String] {
                var out: [String] = []
                for item in root[key]?.sequence ?? [] {
                    for s in RuleSelection.parse([item.text ?? ""]) {
                        out.append(s)
                        config.selectorNodes.append((s, item))
                    }
                }
                return out
            }
            config.selection = RuleSelection(select: root["select"] == nil ? nil : selectors("select"), ignore: selectors("ignore"))
        }
        if case .int(let n)? = root["maxRuleSteps"]?.scalar?.value, n >= 1 { config.maxRuleSteps = n }
        return (config, [])
    }

    /// The configuration schema compiled into the binary. ConfigurationTests
    /// load it directly, so a broken schema fails the tests, not users.
    static let configSchema: JSONSchema? = {
        let text = BuiltinRulePack.files.first { $0.path == schemaPath }?.text ?? "{}"
        return try? JSONSchema.load(RulePack.builtinNodes(schemaPath, text))
    }()

    static func entries(_ node: Node?) -> [RuleEntry] {
        (node?.mapping ?? []).compactMap { pair in
            guard let name = pair.key.text, let v = pair.value.text, let s = Setting(rawValue: v) else { return nil }
            return RuleEntry(name: name, setting: s, node: pair.key)
        }
    }

    init(path: String, directory: String) {
        self.path = path
        self.directory = directory
    }

    /// Rule names and codes that the catalog does not know, as load errors
    /// with suggestions.
    public func unknownRules(_ catalog: RuleCatalog) -> [RuleLoadError] {
        (rules + overrides.flatMap(\.rules)).compactMap { e in
            guard catalog.rule(e.name) == nil else { return nil }
            var m = "unknown rule '\(e.name)'"
            if let s = catalog.suggestion(for: e.name) { m += "; did you mean '\(s)'?" }
            return RuleLoadError(m, at: e.node)
        } + selectorNodes.compactMap { entry in
            RuleSelection.unknown([entry.selector], in: catalog).first.map { RuleLoadError($0, at: entry.node) }
        }
    }

    /// The path of a file relative to this configuration's directory, or nil
    /// when the file is outside it.
    func relative(_ file: String) -> String? {
        let abs = PathUtil.absolute(file)
        let dir = directory.hasSuffix("/") ? directory : directory + "/"
        return abs.hasPrefix(dir) ? String(abs.dropFirst(dir.count)) : nil
    }

    public func excludes(_ file: String) -> Bool {
        guard let rel = relative(file) else { return false }
        return exclude.contains { $0.matches(rel) }
    }

    /// The setting for a rule in a file: the last matching override, else
    /// the top-level `rules`, else nil (the rule's default severity).
    public func setting(for rule: RuleFile, file: String) -> Setting? {
        func lookup(_ list: [RuleEntry]) -> Setting? {
            list.last { $0.name == rule.code || $0.name == rule.name }?.setting
        }
        if let rel = relative(file) {
            for o in overrides.reversed() where o.globs.contains(where: { $0.matches(rel) }) {
                if let s = lookup(o.rules) { return s }
            }
        }
        return lookup(rules)
    }
}
