import PolicyEngine
import YAMLSource

/// Where the time of a lint run went (`tenantlint lint --timings`).
public struct LintTimings: Sendable {
    /// Wall-clock seconds of each phase, in order.
    public var phases: [(name: String, seconds: Double)] = []
    /// CPU seconds of each rule, in rule order.
    public var rules: [(code: String, seconds: Double)] = []
}

/// Wall-clock laps of the phases of a run, when asked for.
public struct PhaseClock {
    let enabled: Bool
    var laps: [(name: String, seconds: Double)] = []
    private var last: Double

    init(enabled: Bool) {
        self.enabled = enabled
        self.last = enabled ? Self.now() : 0
    }

    mutating func lap(_ name: String) {
        guard enabled else { return }
        let t = Self.now()
        let rss = Self.residentMegabytes().map { ", resident \($0) MB" } ?? ""
        laps.append((name + rss, t - last))
        last = t
    }

    /// The process's resident memory, where the system tells it cheaply.
    static func residentMegabytes() -> Int? {
        #if os(Linux)
        let fd = open("/proc/self/statm", O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 128)
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        // "size resident shared ..." in pages.
        let fields = buffer[..<n].split(separator: UInt8(ascii: " "))
        guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return nil }
        return (pages * Int(sysconf(Int32(_SC_PAGESIZE)))) >> 20
        #else
        return nil
        #endif
    }

    /// Seconds on a monotonic clock.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
