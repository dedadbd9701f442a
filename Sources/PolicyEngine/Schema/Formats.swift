/// The string formats the schema uses, checked by hand (fast and exact).
public enum Formats {
    /// Checks `value` against a named format. Returns nil when it conforms or
    /// the format is unknown, else a description of what was expected.
    public static func check(_ value: String, format: String) -> String? {
        guard let kind = Kind(rawValue: format) else { return nil }
        return check(value, kind)
    }

    /// The formats tenantlint checks.
    public enum Kind: String, Sendable {
        case hostname
        case wildcardHostname = "wildcard-hostname"
        case email, uuid, date
        case ipv4CIDR = "ipv4-cidr"
        case httpsURL = "https-url"
    }

    /// `check(_:format:)` with the format already looked up.
    public static func check(_ value: String, _ kind: Kind) -> String? {
        switch kind {
        case .hostname: return isHostname(value) ? nil : "a domain name"
        case .wildcardHostname:
            if value == "*" { return nil }
            var v = value
            let ok = v.withUTF8 { u in
                u.count >= 2 && u[0] == UInt8(ascii: "*") && u[1] == UInt8(ascii: ".")
                    ? isHostname(UnsafeBufferPointer(rebasing: u[2...])) : isHostname(u)
            }
            return ok ? nil : "a domain name or *.domain"
        case .email: return isEmail(value) ? nil : "an email address"
        case .uuid: return isUUID(value) ? nil : "a GUID (8-4-4-4-12 hex digits)"
        case .date: return isDate(value) ? nil : "a date (YYYY-MM-DD)"
        case .ipv4CIDR: return isIPv4CIDR(value) ? nil : "an IPv4 address or CIDR range /24 to /32"
        case .httpsURL: return isHTTPSURL(value) ? nil : "an https:// URL"
        }
    }

    /// An FQDN: two or more labels of letters, digits and inner hyphens,
    /// a trailing dot allowed, the last label not all digits.
    public static func isHostname(_ s: String) -> Bool {
        withBytes(s) { isHostname($0) }
    }

    /// `isHostname` on UTF-8 bytes, without allocating (it runs for every
    /// domain and email of every manifest).
    static func isHostname(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var n = bytes.count
        if n > 0 && bytes[n - 1] == UInt8(ascii: ".") { n -= 1 }
        guard n > 0, n <= 253, let p = bytes.baseAddress else { return false }
        let hyphen = UInt8(ascii: "-")
        var labels = 0
        var labelStart = 0
        var allDigits = true
        var i = 0
        // Letters first: they are most of a name's bytes.
        while i < n {
            let c = p[i]
            if ((c | 0x20) &- 97) < 26 || c == hyphen {
                allDigits = false
            } else if (c &- 48) < 10 {
                // a digit
            } else if c == UInt8(ascii: ".") {
                let length = i - labelStart
                guard length >= 1, length <= 63, p[labelStart] != hyphen, p[i - 1] != hyphen else { return false }
                labels += 1
                allDigits = true
                labelStart = i + 1
            } else {
                return false
            }
            i += 1
        }
        let length = n - labelStart
        guard length >= 1, length <= 63, p[labelStart] != hyphen, p[n - 1] != hyphen else { return false }
        return labels >= 1 && !allDigits
    }

    /// The characters allowed in the local part besides letters and digits:
    /// ``!#$%&'*+/=?^_`{|}~.-`` as bits of two 64-bit masks (bytes 0-63, 64-127).
    static let emailSpecialLow: UInt64 = {
        var m: UInt64 = 0
        for c in "!#$%&'*+/=?.-".utf8 { m |= 1 << UInt64(c) }
        return m
    }()
    static let emailSpecialHigh: UInt64 = {
        var m: UInt64 = 0
        for c in "^_`{|}~".utf8 { m |= 1 << UInt64(c - 64) }
        return m
    }()

    @inline(__always)
    static func isEmailSpecial(_ c: UInt8) -> Bool {
        if c < 64 { return emailSpecialLow & (1 << UInt64(c)) != 0 }
        if c < 128 { return emailSpecialHigh & (1 << UInt64(c - 64)) != 0 }
        return false
    }

    /// `body` on a string's UTF-8 bytes, borrowed in place when the string
    /// is native (no copy of the string, so no retain and release).
    @inline(__always)
    static func withBytes<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var t = s
        return t.withUTF8(body)
    }

    public static func isEmail(_ s: String) -> Bool {
        withBytes(s) { u in
            // Every accepted byte is ASCII, so bytes decide as characters would.
            guard let p = u.baseAddress else { return false }
            let dot = UInt8(ascii: ".")
            // The local part, up to the first "@" (an address with two has
            // a local part with an "@" or a domain with one: refused either way).
            var i = 0
            var previousDot = false
            while true {
                guard i < u.count, i <= 64 else { return false }
                let c = p[i]
                if c == UInt8(ascii: "@") { break }
                if c == dot {
                    if previousDot { return false }
                    previousDot = true
                } else {
                    guard isAlnum(c) || isEmailSpecial(c) else { return false }
                    previousDot = false
                }
                i += 1
            }
            let at = i
            guard at >= 1, p[0] != dot, p[at - 1] != dot else { return false }
            let domain = UnsafeBufferPointer(start: p + at + 1, count: u.count - at - 1)
            return isHostname(domain) && domain.last != dot
        }
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

    /// Four dotted octets of one to three digits up to 255, then
    /// optionally `/` and a prefix length 24 to 32 (written as `Int`
    /// reads it: a sign allowed, leading zeros allowed). Read on bytes:
    /// every accepted byte is ASCII, and splitting the text into
    /// substrings cost about 16,000 instructions a call.
    public static func isIPv4CIDR(_ s: String) -> Bool {
        withBytes(s) { u in
            var slash = u.count
            for i in 0..<u.count {
                let c = u[i]
                if c >= 0x80 { return false }
                if c == UInt8(ascii: "/") {
                    if slash != u.count { return false }
                    slash = i
                }
            }
            if slash != u.count {
                var i = slash + 1
                var negative = false
                if i < u.count && (u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-")) {
                    negative = u[i] == UInt8(ascii: "-")
                    i += 1
                }
                guard i < u.count else { return false }
                var v = 0
                while i < u.count {
                    let d = u[i] &- 48
                    guard d < 10 else { return false }
                    if v < 1000 { v = v * 10 + Int(d) }
                    i += 1
                }
                guard !negative, (24...32).contains(v) else { return false }
            }
            var octets = 0
            var start = 0
            var v = 0
            for i in 0...slash {
                if i == slash || u[i] == UInt8(ascii: ".") {
                    guard (1...3).contains(i - start), v <= 255 else { return false }
                    octets += 1
                    start = i + 1
                    v = 0
                } else {
                    let d = u[i] &- 48
                    guard d < 10 else { return false }
                    if v <= 255 { v = v * 10 + Int(d) }
                }
            }
            return octets == 4
        }
    }

    public static func isHTTPSURL(_ s: String) -> Bool {
        // ASCII text: bytes are characters, so look at bytes.
        if let ascii = withBytes(s, { u -> Bool? in
            for c in u where c >= 0x80 { return nil }
            let prefix: StaticString = "https://"
            let n = prefix.utf8CodeUnitCount
            guard u.count >= n else { return false }
            for i in 0..<n where u[i] != prefix.utf8Start[i] { return false }
            var end = n
            while end < u.count {
                let c = u[end]
                if c == UInt8(ascii: "/") || c == UInt8(ascii: ":") || c == UInt8(ascii: "?") || c == UInt8(ascii: "#") { break }
                end += 1
            }
            return isHostname(UnsafeBufferPointer(rebasing: u[n..<end]))
        }) {
            return ascii
        }
        guard s.hasPrefix("https://") else { return false }
        let rest = s.dropFirst(8)
        let host = rest.prefix(while: { $0 != "/" && $0 != ":" && $0 != "?" && $0 != "#" })
        return isHostname(String(host))
    }

    @inline(__always)
    static func isAlnum(_ c: UInt8) -> Bool {
        (c &- 48) < 10 || ((c | 0x20) &- 97) < 26
    }

    static func isHex(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
    }
}
