/// Writing fixed manifests back: only files inside the linted roots (a
/// symlink is followed only when its target is inside them too, and then
/// the target is written, so the link stays a link), atomically, keeping
/// the file's permissions, and only when the file still holds the bytes
/// that were linted. A root is a directory given on the command line (its
/// canonical path and everything below it) or a file given there (that
/// file itself: a symlink named on the command line is not followed out of
/// its directory's roots).
public struct FixWriter {
    /// Canonical paths of the directories given.
    let directories: [String]
    /// Canonical paths of the files given, their last component not resolved.
    let files: Set<String>
    /// Targets written so far (a file reached by two paths is written once).
    private var written: [String: [UInt8]] = [:]

    public init(roots: [String]) {
        var directories: [String] = []
        var files = Set<String>()
        for root in roots {
            if case .success((.directory, _, _)) = FileSystem.info(root) {
                if let r = FileSystem.realPath(root) { directories.append(r) }
                continue
            }
            let slash = root.lastIndex(of: "/")
            let dir = slash.map { String(root[..<$0]) } ?? "."
            let name = slash.map { String(root[root.index(after: $0)...]) } ?? root
            if let d = FileSystem.realPath(dir.isEmpty ? "/" : dir) { files.insert((d == "/" ? "" : d) + "/" + name) }
        }
        self.directories = directories
        self.files = files
    }

    /// The file to write for a linted path, or why not.
    public func target(for path: String) -> Result<String, FileSystem.Error> {
        guard let real = FileSystem.realPath(path) else {
            return .failure(FileSystem.Error(path: path, message: "cannot resolve the path"))
        }
        let inside = files.contains(real) || directories.contains { root in
            real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        }
        guard inside else {
            let why = FileSystem.isSymlink(path) ? "a symlink to \(real), outside the linted paths" : "\(real) is outside the linted paths"
            return .failure(FileSystem.Error(path: path, message: "not written: " + why))
        }
        return .success(real)
    }

    /// Writes `bytes` over `path` when it still holds `original`.
    public mutating func write(_ path: String, original: [UInt8], bytes: [UInt8]) -> Result<Void, FileSystem.Error> {
        let real: String
        switch target(for: path) {
        case .success(let r): real = r
        case .failure(let e): return .failure(e)
        }
        if let done = written[real] {
            if done == bytes { return .success(()) }
            return .failure(FileSystem.Error(path: path, message: "not written: the same file, reached by another path, was fixed differently"))
        }
        switch FileSystem.read(real, limit: max(original.count, 1) * 2 + 4096) {
        case .success(let now) where now == original: break
        case .success: return .failure(FileSystem.Error(path: path, message: "not written: the file changed while it was being fixed"))
        case .failure(let e): return .failure(FileSystem.Error(path: path, message: e.message))
        }
        let result = FileSystem.writeAtomically(real, bytes, mode: FileSystem.mode(real))
        if case .success = result { written[real] = bytes }
        return result
    }
}

extension FileSystem {
    /// The permission bits of a path (following symlinks), or nil.
    public static func mode(_ path: String) -> UInt32? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return UInt32(st.st_mode & 0o7777)
    }

    /// The canonical absolute path (symlinks resolved), or nil.
    public static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}
