#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing fixed manifests back: only files inside the linted roots (a
/// symlink is followed only when its target is inside them too, and then
/// the target is written, so the link stays a link), atomically, keeping
/// the file's permissions, and only when the file still holds the bytes
/// that were linted.
public struct FixWriter {
    /// The canonical paths of the roots given on the command line.
    let roots: [String]

    public init(roots: [String]) {
        self.roots = roots.compactMap(FileSystem.realPath)
    }

    /// The file to write for a linted path, or why not.
    public func target(for path: String) -> Result<String, FileSystem.Error> {
        guard let real = FileSystem.realPath(path) else {
            return .failure(FileSystem.Error(path: path, message: "cannot resolve the path"))
        }
        let inside = roots.contains { root in
            real == root || real.hasPrefix(root.hasSuffix("/") ? root : root + "/")
        }
        guard inside else {
            return .failure(FileSystem.Error(path: path, message: "not written: a symlink to \(real), outside the linted paths"))
        }
        return .success(real)
    }

    /// Writes `bytes` over `path` when it still holds `original`.
    public func write(_ path: String, original: [UInt8], bytes: [UInt8]) -> Result<Void, FileSystem.Error> {
        let real: String
        switch target(for: path) {
        case .success(let r): real = r
        case .failure(let e): return .failure(e)
        }
        switch FileSystem.read(real, limit: max(original.count, 1) * 2 + 4096) {
        case .success(let now) where now == original: break
        case .success: return .failure(FileSystem.Error(path: path, message: "not written: the file changed while it was being fixed"))
        case .failure(let e): return .failure(FileSystem.Error(path: path, message: e.message))
        }
        return FileSystem.writeAtomically(real, bytes, mode: FileSystem.mode(real))
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
