import YAMLSource

/// Finds the configuration of each file: the nearest `.tenantlint.yml`
/// walking up from the file's directory, stopping at the repository root
/// (the directory holding `.git`) or the filesystem root.
public final class ConfigurationResolver {
    private var byDirectory: [String: Configuration?] = [:]
    private var loaded: [String: Configuration] = [:]
    public private(set) var errors: [RuleLoadError] = []

    public init() {}

    /// Every configuration found so far, in the order found.
    public private(set) var all: [Configuration] = []

    public func configuration(for file: String) -> Configuration? {
        find(PathUtil.directory(of: PathUtil.absolute(file)))
    }

    private func find(_ dir: String) -> Configuration? {
        if let cached = byDirectory[dir] { return cached }
        var result: Configuration?
        var found = false
        for name in Configuration.fileNames {
            let candidate = PathUtil.join(dir, name)
            if case .success((.file, _, _)) = FileSystem.info(candidate) {
                result = load(candidate)
                found = true
                break
            }
        }
        if !found {
            let isRepoRoot = FileSystem.exists(PathUtil.join(dir, ".git"))
            let parent = PathUtil.directory(of: dir)
            result = isRepoRoot || parent == dir ? nil : find(parent)
        }
        byDirectory[dir] = result
        return result
    }

    /// Loads one configuration file (once).
    public func load(_ path: String) -> Configuration? {
        if let c = loaded[path] { return c }
        switch FileSystem.read(path, limit: FileSystem.ruleFileLimit, limitName: "1 MiB, the fixed limit of configuration files") {
        case .failure(let e):
            errors.append(RuleLoadError(e.message, file: path, position: SourcePosition(line: 1, column: 1, offset: 0)))
            return nil
        case .success(let bytes):
            let (config, errs) = Configuration.load(path: path, bytes: bytes)
            errors += errs
            if let config {
                loaded[path] = config
                all.append(config)
            }
            return config
        }
    }
}
