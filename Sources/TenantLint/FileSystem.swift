import YAMLSource

/// The few file-system calls tenantlint needs, on POSIX directly (fast,
/// no Foundation start-up cost, exact errors).
public enum FileSystem {
    public enum EntryType: Equatable {
        case file, directory, fifo, other
    }

    public struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64
    }

    /// Errors carry the system's own message (`No such file or directory`).
    public struct Error: Swift.Error, CustomStringConvertible {
        public let path: String
        public let message: String
        public var description: String { "\(path): \(message)" }
    }

    static func errnoMessage() -> String {
        String(cString: strerror(errno))
    }

    /// Type and identity of a path, following symlinks.
    public static func info(_ path: String) -> Result<(EntryType, Identity, Int), Error> {
        var st = stat()
        guard stat(path, &st) == 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        let mode = st.st_mode & S_IFMT
        let type: EntryType = mode == S_IFREG ? .file : mode == S_IFDIR ? .directory : mode == S_IFIFO ? .fifo : .other
        return .success((type, Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino)), Int(st.st_size)))
    }

    /// True when the path is a symbolic link (without following it).
    public static func isSymlink(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    /// Names in a directory, sorted bytewise, without `.` and `..`.
    public static func list(_ path: String) -> Result<[String], Error> {
        guard let dir = opendir(path) else { return .failure(Error(path: path, message: errnoMessage())) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            // In place: a copy of `d_name` (256 bytes) may read past the entry (see `RawFS.list`).
            let p = UnsafeRawPointer(entry) + MemoryLayout<dirent>.offset(of: \dirent.d_name)!
            let name = String(cString: p.assumingMemoryBound(to: CChar.self))
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    /// Reads a whole regular file, refusing more than `limit` bytes; `limitName`
    /// says in the error which limit that is (the option that sets it, or the
    /// kind of file with a fixed limit).
    public static func read(_ path: String, limit: Int, limitName: String = "--max-file-size") -> Result<[UInt8], Error> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        defer { close(fd) }
        return readAll(fd, path: path, limit: limit, limitName: limitName)
    }

    /// The fixed limit of rule, function and configuration files: 1 MiB
    /// (`--max-file-size` is for manifests).
    public static let ruleFileLimit = 1 << 20
    /// The fixed limit of a baseline file: 64 MiB.
    public static let baselineLimit = 64 << 20

    /// Reads a file descriptor to its end (standard input, a FIFO).
    public static func readAll(_ fd: Int32, path: String, limit: Int, limitName: String = "--max-file-size",
                               sizeHint: Int = 0) -> Result<[UInt8], Error> {
        // Read straight into one buffer, of the file's size when known (plus
        // a byte, so that the read seeing the end needs no second buffer):
        // no zeroed chunk and no array growing by appends (a run reads
        // thousands of files).
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(min(sizeHint, limit) + 1, 1 << 12), alignment: 16)
        defer { buffer.deallocate() }
        var count = 0
        while true {
            if count == buffer.count {
                let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 16)
                larger.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                buffer.deallocate()
                buffer = larger
            }
            let n = LibC.read(fd, buffer.baseAddress! + count, buffer.count - count)
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Error(path: path, message: errnoMessage()))
            }
            if n == 0 { break }
            count += n
            if count > limit {
                return .failure(Error(path: path, message: "file is larger than the limit of \(limit) bytes (\(limitName))"))
            }
        }
        return .success(Array(UnsafeRawBufferPointer(rebasing: buffer[0..<count]).bindMemory(to: UInt8.self)))
    }

    /// Writes a file the safe way for what the path is:
    ///
    /// - a new path or a regular file is replaced atomically: a temporary
    ///   file next to it (a unique name, see `temporaryName`), written,
    ///   synced, then renamed over it, so a reader never sees half a file and
    ///   an interrupted run leaves the old one;
    /// - a symbolic link to a regular file replaces the file it points to
    ///   the same way (the link stays a link);
    /// - anything else (`/dev/stdout`, `/dev/full`, a FIFO, a terminal, a
    ///   socket) is opened and written in place, never renamed over.
    ///
    /// Every write error (ENOSPC, EPIPE, EIO) and a failed close are reported
    /// with the system's message. With `mode`, a replaced or new file gets
    /// exactly those permission bits; without, a replaced file keeps its own.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32? = nil) -> Result<Void, Error> {
        writeAtomically(path, mode: mode) { emit in _ = emit(bytes) }
    }

    /// `writeAtomically` for contents made a chunk at a time (a large
    /// report): `produce` hands each chunk to `emit`, which writes it at once
    /// and returns false after a write error (then `produce` may stop; the
    /// error is the result). The whole contents are never held in memory.
    public static func writeAtomically(_ path: String, mode: UInt32? = nil,
                                       produce: (_ emit: ([UInt8]) -> Bool) -> Void) -> Result<Void, Error> {
        if path.hasSuffix("/") {
            return .failure(Error(path: path, message: "names a directory, not a file"))
        }
        var st = stat()
        if lstat(path, &st) == 0 {
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                return replace(path, produce, reportAs: path, mode: mode)
            case S_IFDIR:
                return .failure(Error(path: path, message: "is a directory"))
            case S_IFLNK:
                var target = stat()
                guard stat(path, &target) == 0 else {
                    return .failure(Error(path: path, message: errno == ENOENT ? "dangling symbolic link" : errnoMessage()))
                }
                if target.st_mode & S_IFMT == S_IFDIR { return .failure(Error(path: path, message: "is a directory")) }
                if target.st_mode & S_IFMT == S_IFREG, let real = realPath(path),
                   !real.hasPrefix("/proc/"), !real.hasPrefix("/dev/") {
                    return replace(real, produce, reportAs: path, mode: mode)
                }
                return writeInPlace(path, produce)
            default:
                return writeInPlace(path, produce)
            }
        }
        guard errno == ENOENT else { return .failure(Error(path: path, message: errnoMessage())) }
        return replace(path, produce, reportAs: path, mode: mode)
    }

    /// Creates a file that must not exist yet, complete or not at all: a
    /// temporary file, then a hard link to the name (which fails when
    /// anything, a dangling symbolic link included, has appeared there).
    public static func writeNew(_ path: String, _ bytes: [UInt8]) -> Result<Void, Error> {
        let tmp = temporaryName(for: path)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        TemporaryFiles.register(tmp)
        defer {
            unlink(tmp)
            TemporaryFiles.unregister(tmp)
        }
        guard writeAll(fd, bytes), fsync(fd) == 0 || errno == EINVAL else {
            let m = errnoMessage()
            close(fd)
            return .failure(Error(path: path, message: m))
        }
        guard close(fd) == 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        if link(tmp, path) == 0 { return .success(()) }
        guard errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == ENOSYS else {
            return .failure(Error(path: path, message: errnoMessage()))
        }
        // A file system without hard links: create the name exclusively.
        let direct = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard direct >= 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        guard writeAll(direct, bytes) else {
            let m = errnoMessage()
            close(direct)
            unlink(path)
            return .failure(Error(path: path, message: m))
        }
        guard close(direct) == 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        return .success(())
    }

    /// Writes a special file (a device, a FIFO) where it is.
    static func writeInPlace(_ path: String, _ produce: (([UInt8]) -> Bool) -> Void) -> Result<Void, Error> {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        guard writeAll(fd, produce) else {
            let m = errnoMessage()
            close(fd)
            return .failure(Error(path: path, message: m))
        }
        guard close(fd) == 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        return .success(())
    }

    /// A temporary name next to `path`, unique beyond the process id (two
    /// containers both run as PID 1): `path.tmp-PID-RANDOM`.
    public static func temporaryName(for path: String) -> String {
        var random = SystemRandomNumberGenerator()
        let suffix = String(random.next() & 0xffff_ffff_ffff, radix: 16)
        return path + ".tmp-\(getpid())-" + suffix
    }

    /// Temp file, write, sync, close, rename; the temp file goes on any failure.
    static func replace(_ path: String, _ produce: (([UInt8]) -> Bool) -> Void, reportAs shown: String, mode: UInt32? = nil) -> Result<Void, Error> {
        var tmp = temporaryName(for: path)
        var fd: Int32 = -1
        for _ in 0..<8 {
            fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 || errno != EEXIST { break }
            tmp = temporaryName(for: path)
        }
        guard fd >= 0 else { return .failure(Error(path: shown, message: errnoMessage())) }
        TemporaryFiles.register(tmp)
        defer { TemporaryFiles.unregister(tmp) }
        func fail() -> Result<Void, Error> {
            let m = errnoMessage()
            unlink(tmp)
            return .failure(Error(path: shown, message: m))
        }
        guard writeAll(fd, produce) else {
            let r = fail()
            close(fd)
            return r
        }
        // A new file gets the usual mode; a replaced one keeps its own.
        var old = stat()
        if let mode {
            fchmod(fd, mode_t(mode))
        } else if stat(path, &old) == 0 {
            fchmod(fd, old.st_mode & 0o7777)
        }
        guard fsync(fd) == 0 || errno == EINVAL else {
            let r = fail()
            close(fd)
            return r
        }
        guard close(fd) == 0 else { return fail() }
        TemporaryFiles.pauseForTests()
        guard rename(tmp, path) == 0 else { return fail() }
        return .success(())
    }

    /// Appends to a file, creating it (for GITHUB_STEP_SUMMARY, which other
    /// steps append to as well). Best effort: a failure is not fatal.
    @discardableResult
    public static func append(_ path: String, _ bytes: [UInt8]) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return writeAll(fd, bytes)
    }

    /// Writes every chunk `produce` emits, in order; false once a write
    /// failed (errno says why), and `emit` then refuses further chunks.
    static func writeAll(_ fd: Int32, _ produce: (([UInt8]) -> Bool) -> Void) -> Bool {
        var failure: Int32?
        produce { chunk in
            guard failure == nil else { return false }
            if writeAll(fd, chunk) { return true }
            failure = errno
            return false
        }
        if let failure { errno = failure }
        return failure == nil
    }

    /// Writes every byte, retrying short writes and interrupted calls; false
    /// on an error (errno says which).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { LibC.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Creates a directory and its parents; the first error other than
    /// "exists" is the failure.
    @discardableResult
    public static func makeDirectories(_ path: String) -> Result<Void, Error> {
        var current = path.hasPrefix("/") ? "" : "."
        var shown = path.hasPrefix("/") ? "" : nil as String?
        for part in path.split(separator: "/") {
            current += "/" + part
            shown = shown.map { $0 + "/" + part } ?? String(part)
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                return .failure(Error(path: shown ?? current, message: errnoMessage()))
            }
        }
        return .success(())
    }

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// True when something is at the path, a dangling symbolic link included.
    public static func existsOrLinks(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }

    /// The device and inode of what the path names (following links), when it exists.
    public static func identity(_ path: String) -> Identity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }
}

/// The temporary files being written, so that SIGINT, SIGTERM and SIGHUP
/// remove them before the process ends (an interrupted report must not leave
/// `out.json.tmp-…` behind). Registered by the thread that writes; the
/// handler only reads the slots and calls `unlink`, which is async-signal-safe.
enum TemporaryFiles {
    static let capacity = 16
    nonisolated(unsafe) static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let p = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        p.initialize(repeating: nil, count: capacity)
        return p
    }()
    nonisolated(unsafe) static var installed = false

    static func register(_ path: String) {
        installHandlers()
        for i in 0..<capacity where slots[i] == nil {
            slots[i] = strdup(path)
            return
        }
    }

    static func unregister(_ path: String) {
        for i in 0..<capacity {
            if let p = slots[i], String(cString: p) == path {
                slots[i] = nil
                free(p)
            }
        }
    }

    /// The paths registered now (for tests).
    static var pending: [String] {
        (0..<capacity).compactMap { slots[$0].map { String(cString: $0) } }
    }

    /// Removes every registered file (what the signal handler does).
    static func removeAll() {
        for i in 0..<capacity {
            if let p = slots[i] { unlink(p) }
        }
    }

    static func installHandlers() {
        guard !installed else { return }
        installed = true
        _ = slots
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            var old = sigaction()
            sigaction(sig, nil, &old)
            // A signal the parent ignores (nohup) stays ignored.
            if unsafeBitCast(old.__sigaction_handler.sa_handler, to: Int.self) == 1 { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                TemporaryFiles.removeAll()
                signal(sig, SIG_DFL)
                raise(sig)
            }
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, nil)
            // A mask inherited from the parent (Foundation's Process passes
            // its threads' on) would keep the handler from ever running.
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, sig)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
        }
    }

    /// For the test of interrupted writes: with TENANTLINT_TEST_PAUSE_BEFORE_RENAME
    /// set, says "paused" on standard error and waits for a signal once the
    /// temporary file is complete.
    static func pauseForTests() {
        guard getenv("TENANTLINT_TEST_PAUSE_BEFORE_RENAME") != nil else { return }
        let m = "paused\n"
        _ = m.withCString { write(STDERR_FILENO, $0, strlen($0)) }
        pause()
    }
}
