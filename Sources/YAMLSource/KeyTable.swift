/// A cheap summary of a mapping key (its length and first and last bytes):
/// keys with different prints differ, so a lookup compares strings only
/// when prints match. Mapping keys are looked up millions of times per run
/// (schema properties, rule field reads); hashing each one costs more than
/// scanning a dozen prints.
public enum KeyPrint {
    @inlinable @inline(__always)
    public static func of(_ s: String) -> UInt64 {
        if let p = s.utf8.withContiguousStorageIfAvailable({ b -> UInt64 in
            guard let first = b.first else { return 0 }
            return UInt64(truncatingIfNeeded: b.count) << 16 | UInt64(first) << 8 | UInt64(b[b.count - 1])
        }) {
            return p
        }
        let u = s.utf8
        guard let first = u.first, let last = u.last else { return 0 }
        return UInt64(truncatingIfNeeded: u.count) << 16 | UInt64(first) << 8 | UInt64(last)
    }
}

/// A small map from string keys to values, kept in insertion order and
/// searched by `KeyPrint`. The first of repeated keys wins.
///
/// Its lookups are inlinable, so other modules get them specialized for
/// their value type (schema lookups run for every key of every document).
public struct KeyTable<Value> {
    /// The keys and values, in order (stored as `storedKeys` and
    /// `storedValues` so that `append` can be inlined: a generic `append`
    /// not specialized for its value type looked up the array's type
    /// metadata at every call).
    @inlinable public var keys: [String] { storedKeys }
    @inlinable public var values: [Value] { storedValues }
    @usableFromInline var storedKeys: [String] = []
    @usableFromInline var storedValues: [Value] = []
    @usableFromInline var prints: [UInt64] = []

    public init() {}

    public init(minimumCapacity n: Int) {
        storedKeys.reserveCapacity(n)
        storedValues.reserveCapacity(n)
        prints.reserveCapacity(n)
    }

    @inlinable
    public var count: Int { storedKeys.count }

    @inlinable
    public mutating func append(_ key: String, _ value: Value) {
        storedKeys.append(key)
        prints.append(KeyPrint.of(key))
        storedValues.append(value)
    }

    /// The position of the first entry with this key.
    @inlinable @inline(__always)
    public func index(of key: String, print: UInt64) -> Int? {
        var i = 0
        let n = prints.count
        while i < n {
            if prints[i] == print && storedKeys[i] == key { return i }
            i += 1
        }
        return nil
    }

    /// The position of the first entry whose print is `print` and whose key
    /// `matches` says is the one: `index(of: key, print: print)` for a
    /// caller that holds the key elsewhere (a mapping pair's key, compared
    /// in the key table) and need not copy it out as a String.
    @inlinable @inline(__always)
    public func index(print: UInt64, where matches: (String) -> Bool) -> Int? {
        var i = 0
        let n = prints.count
        while i < n {
            if prints[i] == print && matches(storedKeys[i]) { return i }
            i += 1
        }
        return nil
    }

    @inlinable @inline(__always)
    public func index(of key: String) -> Int? {
        index(of: key, print: KeyPrint.of(key))
    }

    @inlinable
    public subscript(key: String) -> Value? {
        guard let i = index(of: key) else { return nil }
        return storedValues[i]
    }

    /// The value of the first entry with this key (`print` is `KeyPrint.of(key)`).
    @inlinable
    public func value(of key: String, print: UInt64) -> Value? {
        guard let i = index(of: key, print: print) else { return nil }
        return storedValues[i]
    }
}

extension KeyTable: Sendable where Value: Sendable {}
