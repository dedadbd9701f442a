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

/// Finds the manifests named on the command line.
///
/// - Directories are walked recursively for `.yaml` and `.yml` files (any
///   case: `.YAML`, `.Yml`), skipping hidden entries (`.git`, `.build`, ...).
/// - Symbolic links named on the command line are followed. In a walk, a
///   link to a directory is not followed unless `followSymlinks` (then
///   without looping), and a link to a file is followed only when its target
///   lies inside one of the given roots (or with `followSymlinks`); links
///   left out are listed in `notes`.
/// - Only regular files are read: FIFOs, devices and sockets never, and a
///   walk does not enter pseudo file systems (`/proc`, `/sys`, `/dev`).
/// - A file reached twice (the same path spelt twice, a link to a file also
///   walked) is linted once, under its first name, by device and inode.
/// - Paths are reported in one form (see `PathUtil.display`): `./x.yaml`,
///   `x.yaml` and `/cwd/x.yaml` are all `x.yaml`.
/// - Names that are not valid UTF-8 are linted; they are reported with each
///   invalid byte as `\xHH`.
/// - A path that cannot be examined (too long, unreadable) is an error,
///   never silently dropped.
public struct Workspace {
    public var maxFileSize: Int
    public var followSymlinks: Bool
    /// Raw file-system paths of the collected files whose display form
    /// differs (names that are not valid UTF-8).
    private let raw = RawPaths()

    public init(maxFileSize: Int = Limits.default.maxFileSize, followSymlinks: Bool = false) {
        self.maxFileSize = maxFileSize
        self.followSymlinks = followSymlinks
    }

    /// What `collect` found: the files to lint in a stable order, the paths
    /// that failed (exit 2), and entries left out on purpose that a user
    /// should hear about (printed as notes, not errors).
    public struct Collected {
        public var files: [String] = []
        public var errors: [InputError] = []
        public var notes: [InputError] = []
    }

    /// The files to lint, in a stable order, and the paths that failed.
    public func collect(_ paths: [String]) -> (files: [String], errors: [InputError]) {
        let c = collectAll(paths)
        return (c.files, c.errors)
    }

    /// Like `collect`, with the notes. `paths` are as given on the command
    /// line; `rawArguments` maps any of them to its exact bytes when the
    /// argument was not valid UTF-8 (see `PathUtil.rawArgument`).
    public func collectAll(_ paths: [String]) -> Collected {
        var out = Collected()
        var seen = IdentitySet()
        // The roots' real paths: file links may point anywhere inside them.
        var roots: [[UInt8]] = []
        for path in paths {
            let bytes = PathUtil.rawArgument(path)
            if let r = RawFS.realPath(bytes), RawFS.stat(bytes)?.type == .directory { roots.append(r) }
        }
        var state = WalkState(roots: roots)
        for path in paths {
            let bytes = PathUtil.rawArgument(path)
            let shown = PathUtil.display(PathUtil.decode(bytes))
            let lexical = bytes
            guard let st = RawFS.stat(lexical) else {
                let e = RawFS.lastError()
                out.errors.append(InputError(path: shown, message: RawFS.lstat(lexical) != nil ? "dangling symbolic link" : e))
                continue
            }
            switch st.type {
            case .directory:
                state.visited = [st.identity]
                walk(lexical, shown: shown, state: &state, into: &out, seen: &seen)
            case .file:
                add(lexical, shown: shown, identity: st.identity, into: &out, seen: &seen)
            case .fifo:
                out.errors.append(InputError(path: shown, message: "is a FIFO, not a regular file; pipe it to 'tenantlint lint -' instead"))
            default:
                out.errors.append(InputError(path: shown, message: "is not a regular file or directory"))
            }
        }
        return out
    }

    /// Files with these extensions (compared without regard to case, after
    /// at least one other byte) are manifests: what a walk takes, and what
    /// the language server takes from a file created under a folder.
    package static func isManifestName(_ name: [UInt8]) -> Bool {
        func ends(_ ext: String) -> Bool {
            let e = Array(ext.utf8)
            guard name.count > e.count else { return false }
            return zip(name[(name.count - e.count)...], e).allSatisfy { a, b in
                (a >= 65 && a <= 90 ? a + 32 : a) == b
            }
        }
        return ends(".yaml") || ends(".yml")
    }

    /// The files taken so far, by identity: a list while there are few (a
    /// run on one file or a handful never makes a `Set` of identities, whose
    /// first use costs the runtime a search of every conformance in the
    /// binary, about 0.23 M instructions), a `Set` past `listLimit`.
    struct IdentitySet {
        static let listLimit = 32
        private(set) var few: [FileSystem.Identity] = []
        private(set) var many: Set<FileSystem.Identity>?

        /// Adds `id`; false when it was there already.
        mutating func insert(_ id: FileSystem.Identity) -> Bool {
            if many != nil { return many!.insert(id).inserted }
            if few.contains(id) { return false }
            if few.count < Self.listLimit {
                few.append(id)
                return true
            }
            var set = Set(few)
            set.insert(id)
            many = set
            few = []
            return true
        }
    }

    struct WalkState {
        let roots: [[UInt8]]
        var visited: Set<FileSystem.Identity> = []
        var depth = 0
    }

    private func add(_ path: [UInt8], shown: String, identity: FileSystem.Identity, into out: inout Collected,
                     seen: inout IdentitySet) {
        guard seen.insert(identity) else { return }  // the same file again
        // The display form opens the same file, except for names that are
        // not UTF-8: those keep their bytes.
        if String(validating: path, as: UTF8.self) == nil { raw.set(shown, path) }
        out.files.append(shown)
    }

    private func walk(_ dir: [UInt8], shown: String, state: inout WalkState, into out: inout Collected,
                      seen: inout IdentitySet) {
        if RawFS.isPseudoFileSystem(dir) {
            out.notes.append(InputError(path: shown, message: "is on a pseudo file system (/proc, /sys, /dev); not walked"))
            return
        }
        let names: [[UInt8]]
        switch RawFS.list(dir) {
        case .failure(let e):
            out.errors.append(InputError(path: shown, message: e.message))
            return
        case .success(let n):
            names = n
        }
        for name in names {
            if name.first == UInt8(ascii: ".") { continue }
            let path = dir.last == UInt8(ascii: "/") ? dir + name : dir + [UInt8(ascii: "/")] + name
            let childShown = shown == "." ? PathUtil.decode(name) : PathUtil.join(shown, PathUtil.decode(name))
            let isManifest = Self.isManifestName(name)
            guard let link = RawFS.lstat(path) else {
                // Cannot even be examined (a name too long for the system, a
                // vanished entry): reported, never silently dropped.
                out.errors.append(InputError(path: childShown, message: RawFS.lastError()))
                continue
            }
            var st = link
            if link.type == .symlink {
                guard let target = RawFS.stat(path) else {
                    // A dangling symlink is reported only when it looks like a
                    // manifest; other broken entries are not ours.
                    if isManifest { out.errors.append(InputError(path: childShown, message: "dangling symbolic link")) }
                    continue
                }
                st = target
                switch target.type {
                case .directory where !followSymlinks:
                    continue  // documented: directory links are not followed by default
                case .file where !followSymlinks && isManifest:
                    guard let real = RawFS.realPath(path), state.roots.contains(where: { PathUtil.isInside(real, $0) }) else {
                        out.notes.append(InputError(path: childShown,
                            message: "symbolic link to a file outside the linted directories; not followed (use --follow-symlinks)"))
                        continue
                    }
                default:
                    break
                }
            }
            switch st.type {
            case .directory:
                guard state.visited.insert(st.identity).inserted else { continue }  // a symlink loop
                walk(path, shown: childShown, state: &state, into: &out, seen: &seen)
            case .file:
                if isManifest { add(path, shown: childShown, identity: st.identity, into: &out, seen: &seen) }
            default:
                if isManifest {
                    out.errors.append(InputError(path: childShown, message: "is not a regular file"))
                }
            }
        }
    }

    /// The device and inode of a path (following links), or nil.
    public func identity(of path: String) -> FileSystem.Identity? {
        RawFS.stat(raw.get(path) ?? PathUtil.rawArgument(path))?.identity
    }

    /// The bytes the file system knows a collected path by.
    func fileSystemPath(_ path: String) -> [UInt8] {
        raw.get(path) ?? PathUtil.rawArgument(path)
    }

    /// Reads one collected file.
    public func read(_ path: String, limitName: String = "--max-file-size") -> Result<InputFile, InputError> {
        let fsPath = raw.get(path) ?? PathUtil.rawArgument(path)
        switch RawFS.read(fsPath, limit: maxFileSize, limitName: limitName) {
        case .success(let bytes): return .success(InputFile(path: path, bytes: bytes))
        case .failure(let e): return .failure(InputError(path: path, message: e.message))
        }
    }
}

/// The raw bytes of paths whose display form differs from them.
final class RawPaths: @unchecked Sendable {
    private let lock = Lock()
    private var map: [String: [UInt8]] = [:]

    func set(_ shown: String, _ bytes: [UInt8]) { lock.withLock { map[shown] = bytes } }
    func get(_ shown: String) -> [UInt8]? { lock.withLock { map[shown] } }
}

typealias stat_t = stat
private func systemStat(_ p: UnsafePointer<CChar>, _ st: UnsafeMutablePointer<stat_t>) -> Int32 { stat(p, st) }
private func systemLstat(_ p: UnsafePointer<CChar>, _ st: UnsafeMutablePointer<stat_t>) -> Int32 { lstat(p, st) }

/// File-system calls on byte paths (names need not be UTF-8), for the walk.
enum RawFS {
    enum EntryType { case file, directory, fifo, symlink, other }

    struct Status {
        let type: EntryType
        let identity: FileSystem.Identity
    }

    static func lastError() -> String { String(cString: strerror(errno)) }

    private static func status(_ st: stat_t) -> Status {
        let mode = st.st_mode & S_IFMT
        let type: EntryType = mode == S_IFREG ? .file : mode == S_IFDIR ? .directory : mode == S_IFIFO ? .fifo
            : mode == S_IFLNK ? .symlink : .other
        return Status(type: type, identity: FileSystem.Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)))
    }

    static func withCString<T>(_ path: [UInt8], _ body: (UnsafePointer<CChar>) -> T) -> T {
        (path + [0]).withUnsafeBufferPointer { buf in
            buf.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buf.count) { body($0) }
        }
    }

    static func stat(_ path: [UInt8]) -> Status? {
        var st = stat_t()
        return withCString(path) { systemStat($0, &st) } == 0 ? status(st) : nil
    }

    static func lstat(_ path: [UInt8]) -> Status? {
        var st = stat_t()
        return withCString(path) { systemLstat($0, &st) } == 0 ? status(st) : nil
    }

    static func realPath(_ path: [UInt8]) -> [UInt8]? {
        guard let p = withCString(path, { Glibc.realpath($0, nil) }) else { return nil }
        defer { free(p) }
        return Array(UnsafeRawBufferPointer(start: p, count: strlen(p)))
    }

    /// Names in a directory, as bytes, sorted bytewise, without `.` and `..`.
    static func list(_ path: [UInt8]) -> Result<[[UInt8]], FileSystem.Error> {
        guard let dir = withCString(path, { opendir($0) }) else { return .failure(FileSystem.Error(path: "", message: lastError())) }
        defer { closedir(dir) }
        var names: [[UInt8]] = []
        errno = 0
        while let entry = readdir(dir) {
            // The name in place: copying `d_name` (a 256-byte array) reads
            // past a short entry at the end of the kernel's buffer, which
            // crashed the language server's walk now and then.
            let p = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = Array(UnsafeRawBufferPointer(start: p, count: strlen(p.assumingMemoryBound(to: CChar.self))))
            if name != [46] && name != [46, 46] { names.append(name) }
        }
        return .success(names.sorted { $0.lexicographicallyPrecedes($1) })
    }

    static func read(_ path: [UInt8], limit: Int, limitName: String = "--max-file-size") -> Result<[UInt8], FileSystem.Error> {
        func failure(_ m: String) -> Result<[UInt8], FileSystem.Error> { .failure(FileSystem.Error(path: "", message: m)) }
        let fd = withCString(path) { open($0, O_RDONLY | O_CLOEXEC | O_NONBLOCK) }
        guard fd >= 0 else { return failure(lastError()) }
        defer { close(fd) }
        var st = stat_t()
        // Only regular files: a path swapped for a FIFO or device after the
        // walk is not read (O_NONBLOCK keeps the open from waiting on a FIFO).
        guard fstat(fd, &st) == 0 else { return failure(lastError()) }
        guard st.st_mode & S_IFMT == S_IFREG else { return failure("is not a regular file") }
        return FileSystem.readAll(fd, path: "", limit: limit, limitName: limitName, sizeHint: Int(st.st_size))
    }

    /// True for /proc, /sys and /dev and what is under them: the kernel's
    /// file systems, whose "files" are not manifests and may be endless.
    /// Judged by the real path, so a link to them is caught too.
    static func isPseudoFileSystem(_ path: [UInt8]) -> Bool {
        guard let real = realPath(path) else { return false }
        return ["/proc", "/sys", "/dev"].contains { PathUtil.isInside(real, Array($0.utf8)) }
    }
}

extension PathUtil {
    /// The one form a path is reported in, wherever it came from (the
    /// command line, a walk, `--stdin-filename`, a baseline): `.` segments
    /// and repeated slashes removed, and an absolute path inside the working
    /// directory made relative to it. `..` segments are kept (collapsing
    /// them is wrong across symbolic links). `./x.yaml`, `x.yaml` and
    /// `$PWD/x.yaml` are all `x.yaml`; `.` stays `.`.
    public static func display(_ path: String, cwd: String = PathUtil.currentDirectory()) -> String {
        guard !path.isEmpty else { return path }
        let absolute = path.hasPrefix("/")
        let parts = path.split(separator: "/").filter { $0 != "." }
        if absolute {
            let joined = "/" + parts.joined(separator: "/")
            let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
            if joined + "/" == prefix { return "." }
            if joined.hasPrefix(prefix) { return String(joined.dropFirst(prefix.count)) }
            return joined
        }
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }

    /// A file-system path's bytes as text: UTF-8 as is, each byte that is
    /// not part of valid UTF-8 as `\xHH` (so that it prints safely and
    /// names the file unambiguously).
    public static func decode(_ bytes: [UInt8]) -> String {
        if let s = String(validating: bytes, as: UTF8.self) { return s }
        var out = ""
        var i = 0
        while i < bytes.count {
            // The longest valid UTF-8 sequence at i (1 to 4 bytes), else one escaped byte.
            var taken = false
            for n in 1...4 where i + n <= bytes.count {
                if let s = String(validating: bytes[i..<(i + n)], as: UTF8.self) {
                    out += s
                    i += n
                    taken = true
                    break
                }
            }
            if !taken {
                let hex = Array("0123456789ABCDEF")
                out += "\\x" + String(hex[Int(bytes[i] >> 4)]) + String(hex[Int(bytes[i] & 15)])
                i += 1
            }
        }
        return out
    }

    /// The exact bytes of a command-line argument. `CommandLine.arguments`
    /// replaces bytes that are not UTF-8 with U+FFFD; for such an argument
    /// this finds the raw `argv` entry it came from, so `caf\xE9.yaml` can be
    /// opened. Other strings are their UTF-8.
    public static func rawArgument(_ argument: String) -> [UInt8] {
        guard argument.unicodeScalars.contains("\u{FFFD}") else { return Array(argument.utf8) }
        for i in 0..<Int(CommandLine.argc) {
            guard let p = CommandLine.unsafeArgv[i] else { continue }
            let bytes = Array(UnsafeRawBufferPointer(start: p, count: strlen(p)))
            if String(decoding: bytes, as: UTF8.self) == argument { return bytes }
        }
        return Array(argument.utf8)
    }

    /// True when `path` is `root` or inside it (both real, absolute paths).
    static func isInside(_ path: [UInt8], _ root: [UInt8]) -> Bool {
        if root == [UInt8(ascii: "/")] { return true }
        return path == root || (path.count > root.count && path.starts(with: root) && path[root.count] == UInt8(ascii: "/"))
    }
}
