import CYAML

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns scalar bytes into Strings, reusing the String made for the same
/// bytes before. Manifests repeat a few dozen keys thousands of times, and
/// domains and guest addresses many times over; sharing one String saves an
/// allocation (and its memory) for every repeat longer than the 15 bytes
/// Swift stores inline, and makes comparisons of equal strings a pointer check.
struct StringInterner {
    /// A direct-mapped cache: a colliding key simply replaces the older one.
    private var slots: [String?]
    private let mask: Int

    /// `capacity` is rounded up to a power of two.
    init(capacity: Int = 2048) {
        var n = 16
        while n < capacity && n < 1 << 16 { n <<= 1 }
        slots = Array(repeating: nil, count: n)
        mask = n - 1
    }

    /// A cache sized for a file: about one slot per 64 bytes, so small files
    /// do not pay for a large table.
    init(forFileOf bytes: Int) {
        self.init(capacity: min(4096, max(64, bytes / 64)))
    }

    mutating func intern(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Short keys are stored inline by String itself: nothing to share.
        guard bytes.count > 15, bytes.count <= 128, let base = bytes.baseAddress else {
            return String(decoding: bytes, as: UTF8.self)
        }
        // Eight bytes at a time: a multiply-xorshift mix of each word.
        let raw = UnsafeRawPointer(base)
        var h = UInt64(truncatingIfNeeded: bytes.count) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < bytes.count {
            // The last eight bytes (overlapping what was already mixed).
            h = (h ^ raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        let slot = Int(truncatingIfNeeded: h ^ (h >> 32)) & mask
        if var cached = slots[slot], cached.utf8.count == bytes.count {
            let same = cached.withUTF8 { memcmp($0.baseAddress!, base, bytes.count) == 0 }
            if same { return cached }
        }
        let s = String(decoding: bytes, as: UTF8.self)
        slots[slot] = s
        return s
    }
}
