import TenantLint
import YAMLSource

/// Writing to the terminal and deciding on color.
enum Terminal {
    /// Writes a message to standard error, with control and bidi
    /// characters from file names or values replaced (`Display.terminal`).
    static func error(_ message: String) {
        var m = Display.terminal(message)
        if !m.hasSuffix("\n") { m += "\n" }
        writeAll(STDERR_FILENO, m)
    }

    static func write(_ text: String) {
        writeAll(STDOUT_FILENO, text)
    }

    /// The first error writing standard output (0: none), reported by `finish`.
    nonisolated(unsafe) static var standardOutputError: Int32 = 0

    /// Writes all bytes, retrying short writes. A failure on standard output
    /// is remembered for `finish`; a closed pipe (EPIPE, when SIGPIPE is
    /// ignored) ends quietly, as the reader chose to stop.
    static func writeAll(_ fd: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { LibC.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                if fd == STDOUT_FILENO && errno != EPIPE && standardOutputError == 0 { standardOutputError = errno }
                return
            }
            bytes = bytes.dropFirst(n)
        }
    }

    /// Writes all bytes, retrying short writes (a streamed report's chunks);
    /// false on an error.
    static func writeBytes(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                // As writeAll: remembered for `exit`; a closed pipe ends quietly.
                if fd == STDOUT_FILENO && errno != EPIPE && standardOutputError == 0 { standardOutputError = errno }
                return false
            }
            offset += n
        }
        return true
    }

    /// Exits with `code`, or with 2 when standard output could not be
    /// written or closed (`lint x.yaml > /dev/full` must not pass silently).
    static func exit(_ code: Int32) -> Never {
        var failure = standardOutputError
        if failure == 0 && close(STDOUT_FILENO) != 0 && errno != EBADF && errno != EINTR && errno != EPIPE {
            failure = errno
        }
        if failure != 0 {
            error("tenantlint: error: cannot write standard output: \(String(cString: strerror(failure)))")
            LibC.exit(2)
        }
        LibC.exit(code)
    }

    /// `auto` colors a terminal unless NO_COLOR is set (https://no-color.org)
    /// or TERM is dumb.
    static func useColor(_ choice: ColorChoice) -> Bool {
        switch choice {
        case .always: return true
        case .never: return false
        case .auto:
            if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
            if let t = getenv("TERM"), String(cString: t) == "dumb" { return false }
            return isatty(STDOUT_FILENO) != 0
        }
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}

enum ColorChoice: String, CaseIterable {
    case auto, always, never
}
