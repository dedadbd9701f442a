import YAMLSource

/// Lexical path helpers (no symlink resolution: paths stay as the user sees them).
public enum PathUtil {
    /// The working directory, however long (beyond PATH_MAX, too), or nil
    /// when the system cannot say (removed, unreadable parent).
    public static func currentDirectoryIfKnown() -> String? {
        var size = 4096
        while size <= 1 << 20 {
            var buf = [CChar](repeating: 0, count: size)
            if getcwd(&buf, buf.count) != nil { return String(cString: buf) }
            guard errno == ERANGE else { return nil }
            size *= 2
        }
        return nil
    }

    public static func currentDirectory() -> String {
        currentDirectoryIfKnown() ?? "/"
    }

    public static func absolute(_ path: String) -> String {
        normalize(path.hasPrefix("/") ? path : join(currentDirectory(), path))
    }

    public static func join(_ a: String, _ b: String) -> String {
        a.hasSuffix("/") ? a + b : a + "/" + b
    }

    /// Removes `.` and `..` segments and repeated slashes.
    public static func normalize(_ path: String) -> String {
        var out: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !out.isEmpty { out.removeLast() }; continue }
            out.append(part)
        }
        return "/" + out.joined(separator: "/")
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }
}
