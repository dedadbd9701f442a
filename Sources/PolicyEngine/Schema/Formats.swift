/// The string formats the schema uses, checked by hand (fast and exact).
public enum Formats {
    /// Checks `value` against a named format. Returns nil when it conforms or
    /// the format is unknown, else a description of what was expected.
    public static func check(_ value: String, format: String) -> String? {
        switch format {
        case "hostname": return isHostname(value) ? nil : "a domain name"
        case "wildcard-hostname":
            if value == "*" { return nil }
            let host = value.hasPrefix("*.") ? String(value.dropFirst(2)) : value
            return isHostname(host) ? nil : "a domain name or *.domain"
        case "email": return isEmail(value) ? nil : "an email address"
        case "uuid": return isUUID(value) ? nil : "a GUID (8-4-4-4-12 hex digits)"
        case "date": return isDate(value) ? nil : "a date (YYYY-MM-DD)"
        case "ipv4-cidr": return isIPv4CIDR(value) ? nil : "an IPv4 address or CIDR range /24 to /32"
        case "https-url": return isHTTPSURL(value) ? nil : "an https:// URL"
        default: return nil
        }
    }

    /// An FQDN: two or more labels of letters, digits and inner hyphens,
    /// a trailing dot allowed, the last label not all digits.
    public static func isHostname(_ s: String) -> Bool {
        var u = Array(s.utf8)
        if u.last == UInt8(ascii: ".") { u.removeLast() }
        guard !u.isEmpty, u.count <= 253 else { return false }
        let labels = u.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard (1...63).contains(label.count),
                  label.first != UInt8(ascii: "-"), label.last != UInt8(ascii: "-") else { return false }
            for c in label where !(isAlnum(c) || c == UInt8(ascii: "-")) { return false }
        }
        return !labels.last!.allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    public static func isEmail(_ s: String) -> Bool {
        guard let at = s.lastIndex(of: "@") else { return false }
        let local = Array(s[..<at].utf8)
        let domain = String(s[s.index(after: at)...])
        guard (1...64).contains(local.count), local.first != UInt8(ascii: "."),
              local.last != UInt8(ascii: ".") else { return false }
        let specials = Array("!#$%&'*+/=?^_`{|}~.-".utf8)
        var previousDot = false
        for c in local {
            guard isAlnum(c) || specials.contains(c) else { return false }
            if c == UInt8(ascii: ".") && previousDot { return false }
            previousDot = c == UInt8(ascii: ".")
        }
        return isHostname(domain) && !domain.hasSuffix(".")
    }

    public static func isUUID(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count == 36 else { return false }
        for (i, c) in u.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == UInt8(ascii: "-") else { return false }
            } else if !isHex(c) {
                return false
            }
        }
        return true
    }

    /// A real calendar date written YYYY-MM-DD; returns (year, month, day).
    public static func parseDate(_ s: String) -> (Int, Int, Int)? {
        let u = Array(s.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard u[i] >= 48 && u[i] <= 57 else { return nil }
                v = v * 10 + Int(u[i] - 48)
            }
            return v
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10),
              (1...12).contains(m), d >= 1 else { return nil }
        let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
        return d <= days ? (y, m, d) : nil
    }

    public static func isDate(_ s: String) -> Bool { parseDate(s) != nil }

    public static func isIPv4CIDR(_ s: String) -> Bool {
        let parts = s.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return false }
        if parts.count == 2 {
            guard let p = Int(parts[1]), (24...32).contains(p), parts[1].allSatisfy(\.isASCII) else { return false }
        }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        for o in octets {
            guard (1...3).contains(o.count), o.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let v = Int(o), v <= 255 else { return false }
        }
        return true
    }

    public static func isHTTPSURL(_ s: String) -> Bool {
        guard s.hasPrefix("https://") else { return false }
        let rest = s.dropFirst(8)
        let host = rest.prefix(while: { $0 != "/" && $0 != ":" && $0 != "?" && $0 != "#" })
        return isHostname(String(host))
    }

    static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
    }

    static func isHex(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
    }
}
