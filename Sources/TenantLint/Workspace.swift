import YAMLSource

/// One manifest to lint: the path as the user gave it (or as found in a
/// directory walk), and its bytes.
public struct InputFile: Sendable {
    public let path: String
    public let bytes: [UInt8]

    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// A path that could not be linted: missing, unreadable, a FIFO, too large.
public struct InputError: Error, Sendable, CustomStringConvertible, Equatable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

/// Finds the manifests named on the command line. Directories are walked
/// recursively for `.yaml` and `.yml` files, skipping hidden directories and
/// `.build*`, and following symlinks without looping.
public struct Workspace {
    public var maxFileSize: Int

    public init(maxFileSize: Int = Limits.default.maxFileSize) {
        self.maxFileSize = maxFileSize
    }

    /// The files to lint, in a stable order, and the paths that failed.
    public func collect(_ paths: [String]) -> (files: [String], errors: [InputError]) {
        var files: [String] = []
        var errors: [InputError] = []
        var seen = Set<String>()
        for path in paths {
            switch FileSystem.info(path) {
            case .failure(let e):
                errors.append(InputError(path: path, message: FileSystem.isSymlink(path) ? "dangling symbolic link" : e.message))
            case .success((.directory, let id, _)):
                var visited: Set<FileSystem.Identity> = [id]
                walk(path, visited: &visited, into: &files, errors: &errors)
            case .success((.file, _, _)):
                files.append(path)
            case .success((.fifo, _, _)):
                errors.append(InputError(path: path, message: "is a FIFO, not a regular file; pipe it to 'tenantlint lint -' instead"))
            case .success:
                errors.append(InputError(path: path, message: "is not a regular file or directory"))
            }
        }
        files = files.filter { seen.insert($0).inserted }
        return (files, errors)
    }

    static func isManifestName(_ name: String) -> Bool {
        name.hasSuffix(".yaml") || name.hasSuffix(".yml")
    }

    private func walk(_ dir: String, visited: inout Set<FileSystem.Identity>, into files: inout [String], errors: inout [InputError]) {
        let names: [String]
        switch FileSystem.list(dir) {
        case .failure(let e):
            errors.append(InputError(path: dir, message: e.message))
            return
        case .success(let n):
            names = n
        }
        for name in names {
            let path = dir.hasSuffix("/") ? dir + name : dir + "/" + name
            if name.hasPrefix(".") { continue }
            switch FileSystem.info(path) {
            case .failure:
                // A dangling symlink inside a walked directory is reported only
                // when it looks like a manifest; other broken entries are not ours.
                if Self.isManifestName(name) {
                    errors.append(InputError(path: path, message: FileSystem.isSymlink(path) ? "dangling symbolic link" : "cannot be read"))
                }
            case .success((.directory, let id, _)):
                guard visited.insert(id).inserted else { continue }  // a symlink loop
                walk(path, visited: &visited, into: &files, errors: &errors)
            case .success((.file, _, _)):
                if Self.isManifestName(name) { files.append(path) }
            case .success:
                if Self.isManifestName(name) {
                    errors.append(InputError(path: path, message: "is not a regular file"))
                }
            }
        }
    }

    /// Reads one collected file.
    public func read(_ path: String) -> Result<InputFile, InputError> {
        switch FileSystem.read(path, limit: maxFileSize) {
        case .success(let bytes): return .success(InputFile(path: path, bytes: bytes))
        case .failure(let e): return .failure(InputError(path: path, message: e.message))
        }
    }
}
