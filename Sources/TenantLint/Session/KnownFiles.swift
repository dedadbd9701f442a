/// `LintSessionOptions.knownFiles`: the manifests of a workspace as its
/// caller knows them, kept from run to run by a caller that is told when
/// files are created or deleted (an editor with a file watcher), so that a
/// run neither walks the folders nor looks at every file again.
///
/// It also keeps, per path, whether the configurations' `exclude:` leave the
/// file out, until `configurationChanged()` (a `.tenantlint.yml` changed).
/// Use it from one thread at a time.
public final class KnownFiles: @unchecked Sendable {
    /// The files, in the order the caller wants them linted (the order a
    /// walk of the folders finds them in, for findings that match a run
    /// that walks).
    public private(set) var paths: [String] = []
    /// One path of each directory of `paths`: the run finds every
    /// configuration of the files by looking up these.
    private(set) var directoryRepresentatives: [String] = []
    private var excluded: [String: Bool] = [:]

    public init(_ paths: [String] = []) {
        set(paths)
    }

    /// Replaces the files (the exclusion decisions of the paths kept stay).
    public func set(_ paths: [String]) {
        self.paths = paths
        var seen = Set<Substring>()
        var reps: [String] = []
        for p in paths {
            let dir = p.lastIndex(of: "/").map { p[..<$0] } ?? ""
            if seen.insert(dir).inserted { reps.append(p) }
        }
        directoryRepresentatives = reps
    }

    /// A configuration file changed: exclusions are decided again.
    public func configurationChanged() {
        excluded = [:]
    }

    /// Whether `configuration` excludes `path`, decided once per path.
    func isExcluded(_ path: String, _ configuration: (String) -> Configuration?) -> Bool {
        if let known = excluded[path] { return known }
        let e = configuration(path)?.excludes(path) ?? false
        excluded[path] = e
        return e
    }
}
