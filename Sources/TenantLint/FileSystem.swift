#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return .success(names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }

    /// Reads a whole regular file, refusing more than `limit` bytes.
    public static func read(_ path: String, limit: Int) -> Result<[UInt8], Error> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        defer { close(fd) }
        return readAll(fd, path: path, limit: limit)
    }

    /// Reads a file descriptor to its end (standard input, a FIFO).
    public static func readAll(_ fd: Int32, path: String, limit: Int) -> Result<[UInt8], Error> {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Error(path: path, message: errnoMessage()))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > limit {
                return .failure(Error(path: path, message: "file is larger than the limit of \(limit) bytes (--max-file-size)"))
            }
        }
        return .success(bytes)
    }

    /// Writes a file atomically: a temporary file in the same directory, then
    /// rename. With `mode`, the file gets exactly those permission bits.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: UInt32? = nil) -> Result<Void, Error> {
        let tmp = path + ".tmp-\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return .failure(Error(path: path, message: errnoMessage())) }
        if let mode { fchmod(fd, mode_t(mode)) }
        guard writeAll(fd, bytes) else {
            let m = errnoMessage()
            close(fd)
            unlink(tmp)
            return .failure(Error(path: path, message: m))
        }
        guard fsync(fd) == 0 || errno == EINVAL, close(fd) == 0 else {
            let m = errnoMessage()
            unlink(tmp)
            return .failure(Error(path: path, message: m))
        }
        guard rename(tmp, path) == 0 else {
            let m = errnoMessage()
            unlink(tmp)
            return .failure(Error(path: path, message: m))
        }
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

    /// Writes every byte, retrying short writes and interrupted calls; false
    /// on an error (errno says which).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    /// Creates a directory and its parents.
    public static func makeDirectories(_ path: String) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            mkdir(current, 0o755)
        }
    }

    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
