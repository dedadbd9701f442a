/// `LintSessionOptions.overlays`: buffers in memory standing for files, by
/// path in the one form every path takes (`PathUtil.display`). A file is
/// matched by that path, or by device and inode when both exist on disk
/// (`./m.yaml`, a link to it and `m.yaml` are one file).
struct Overlays {
    private let byPath: [String: [UInt8]]
    /// The buffers by the paths exactly as given.
    private let byGivenPath: [String: [UInt8]]
    /// The buffers of paths that exist on disk, by device and inode.
    private let byIdentity: [FileSystem.Identity: [UInt8]]

    init(_ overlays: [String: [UInt8]]) {
        var byPath: [String: [UInt8]] = [:]
        var byIdentity: [FileSystem.Identity: [UInt8]] = [:]
        for (path, bytes) in overlays.sorted(by: { $0.key < $1.key }) {
            byPath[PathUtil.display(path)] = bytes
            if let id = FileSystem.identity(path), byIdentity[id] == nil { byIdentity[id] = bytes }
        }
        self.byPath = byPath
        self.byGivenPath = overlays
        self.byIdentity = byIdentity
    }

    var isEmpty: Bool { byPath.isEmpty }

    /// Whether `path` names a buffer (and is then not looked for on disk).
    func standsFor(_ path: String) -> Bool {
        !byPath.isEmpty && byPath[PathUtil.display(path)] != nil
    }

    /// The buffer of this path exactly as given, if any (no other
    /// spelling of the path is looked up: a caller whose paths all have one
    /// form, and a run of many files, need not pay for the others).
    func bytes(exactly path: String) -> [UInt8]? {
        byGivenPath.isEmpty ? nil : byGivenPath[path]
    }

    /// The buffer standing for a file of the run, if any.
    func bytes(for path: String, workspace: Workspace) -> [UInt8]? {
        guard !byPath.isEmpty else { return nil }
        if let b = byPath[PathUtil.display(path)] { return b }
        guard !byIdentity.isEmpty, let id = workspace.identity(of: path) else { return nil }
        return byIdentity[id]
    }
}
