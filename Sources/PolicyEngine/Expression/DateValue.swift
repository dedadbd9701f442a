import YAMLSource

/// Calendar dates as day numbers (proleptic Gregorian, days since 1970-01-01).
public enum DateValue {
    /// The dates the language has: 0000-01-01 to 9999-12-31, what
    /// YYYY-MM-DD can write. Date arithmetic that leaves it is an error.
    public static let range = days(year: 0, month: 1, day: 1)...days(year: 9999, month: 12, day: 31)

    public static func days(year y: Int, month m: Int, day d: Int) -> Int {
        // Howard Hinnant's days_from_civil.
        let y2 = m <= 2 ? y - 1 : y
        let era = (y2 >= 0 ? y2 : y2 - 399) / 400
        let yoe = y2 - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func civil(_ z0: Int) -> (Int, Int, Int) {
        // Outside `range` only by a bug; clamped rather than trapping on overflow.
        let z = min(max(z0, -(1 << 60)), 1 << 60) + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// Parses YYYY-MM-DD.
    public static func parse(_ s: String) -> Int? {
        guard let (y, m, d) = Formats.parseDate(s) else { return nil }
        return days(year: y, month: m, day: d)
    }

    public static func format(_ days: Int) -> String {
        let (y, m, d) = civil(days)
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}
