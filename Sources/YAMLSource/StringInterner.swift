import CYAML

/// Turns scalar bytes into Strings, reusing the String made for the same
/// bytes before. Manifests repeat domains, addresses and SKUs many times
/// over; sharing one String saves an allocation (and its memory) for every
/// repeat longer than the 15 bytes Swift stores inline, and makes
/// comparisons of equal strings a pointer check. (Mapping keys, which repeat
/// most, are kept apart: see `KeyTexts`.)
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
        // Short texts are stored inline by String itself: nothing to share.
        guard bytes.count > 15, bytes.count <= 128 else {
            return String(decoding: bytes, as: UTF8.self)
        }
        let h = KeyTexts.hash(bytes)
        let slot = Int(truncatingIfNeeded: h ^ (h >> 32)) & mask
        if let cached = slots[slot], Self.equal(cached, bytes) {
            return cached
        }
        let s = String(decoding: bytes, as: UTF8.self)
        slots[slot] = s
        return s
    }

    /// True when `s` holds exactly these bytes.
    @inline(__always)
    static func equal(_ s: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard s.utf8.count == bytes.count else { return false }
        if bytes.count == 0 { return true }
        var s = s
        return s.withUTF8 { memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }
    }
}

/// What the loads of one run share: the texts of mapping keys (`KeyTexts`:
/// every file's key nodes keep ids into one table), and the interning
/// caches, lent from file to file (`checkOut`): a thread loads one file at
/// a time, and with a cache that outlives a file, strings repeated across
/// files (a guest's address in one tenant's file is a user's address in its
/// partner's, loaded just before) are still shared, and a file finds its
/// keys without asking the table.
///
/// Drop the pool when the files are loaded: the strings stay with their
/// nodes, and the key texts with the sources.
public final class StringPool: @unchecked Sendable {
    /// The run's mapping keys (see `KeyTexts`).
    let keys = KeyTexts()
    /// Caches that no load is using (see `checkOut`); under the lock.
    @exclusivity(unchecked) private var spare: [LoadCaches] = []
    private let lock = Lock()

    public init() {}

    /// Caches for one load, kept from file to file. Give them back with `checkIn`.
    func checkOut() -> LoadCaches {
        let spare = lock.withLock { self.spare.popLast() }
        return spare ?? LoadCaches(strings: StringInterner(capacity: 4096), keys: KeyInterner(table: keys, capacity: 1024))
    }

    func checkIn(_ caches: LoadCaches) {
        lock.withLock { spare.append(caches) }
    }

    /// Distinct key texts held.
    public var distinctKeyCount: Int { keys.distinctCount }
}

/// The distinct texts of mapping keys, each with a 16-bit id, for a run (in
/// its `StringPool`) or for one load. A key node keeps only the id (see
/// `Node`): keys are about half of a manifest's scalars, but there are only
/// a few hundred distinct ones.
///
/// Ids go by exact bytes. Texts are kept in chunks that never move (chunk
/// `k` holds `16 << k` texts, so a table for one small file stays small),
/// and reading a text by id takes no lock: a text is written (under the
/// lock) before its id is handed out. A full table (65,536 texts) gives no
/// more ids, and the loader keeps further keys' texts in their nodes.
@usableFromInline
final class KeyTexts: @unchecked Sendable {
    static let capacity = 1 << 16
    /// Chunks `0...12` hold ids up to 16 * (2^13 - 1) - 1, past `capacity`.
    static let chunkCount = 13

    /// `chunkCount` pointers, chunk `k` to `16 << k` entries once allocated.
    @usableFromInline let chunks: UnsafeMutablePointer<UnsafeMutablePointer<Entry>?>

    @usableFromInline
    struct Entry {
        @usableFromInline let text: String
        /// `KeyPrint.of(text)`: every map of a document's value prints its keys.
        @usableFromInline let print: UInt64
        /// The text's bytes, a copy of its own (freed with the table): a
        /// lookup compares them in place instead of copying `text` out
        /// (a retain and a release per key of every file).
        let bytes: UnsafeMutablePointer<UInt8>
        let count: Int
        /// `isASCII(bytes)`, found once (every key node and pair keeps it).
        let isASCII: Bool
    }
    private let lock = Lock()
    /// The most texts this table gives ids to (`capacity`, or fewer in tests).
    private let limit: Int
    /// Texts added; only touched under the lock.
    @exclusivity(unchecked) private var count = 0
    /// Open addressing over ids + 1 (0: empty), at most half full; under the lock.
    @exclusivity(unchecked) private var slots: [UInt32] = Array(repeating: 0, count: 32)

    init(capacity: Int = KeyTexts.capacity) {
        limit = min(capacity, Self.capacity)
        chunks = .allocate(capacity: Self.chunkCount)
        chunks.initialize(repeating: nil, count: Self.chunkCount)
    }

    deinit {
        var left = count
        for c in 0..<Self.chunkCount {
            guard let chunk = chunks[c] else { break }
            let n = min(left, 16 << c)
            for i in 0..<n { chunk[i].bytes.deallocate() }
            chunk.deinitialize(count: n)
            chunk.deallocate()
            left -= n
        }
        chunks.deallocate()
    }

    /// The chunk of an id and its place there: id + 16 = (16 << chunk) + place.
    @inlinable @inline(__always)
    static func locate(_ id: Int) -> (chunk: Int, place: Int) {
        let n = id + 16
        let chunk = (Int.bitWidth - 1 - n.leadingZeroBitCount) - 4
        return (chunk, n - (16 << chunk))
    }

    @inlinable @inline(__always)
    func entry(_ id: UInt16) -> UnsafeMutablePointer<Entry> {
        let (chunk, place) = Self.locate(Int(id))
        return chunks[chunk].unsafelyUnwrapped + place
    }

    /// The text with this id.
    subscript(id: UInt16) -> String { entry(id).pointee.text }

    /// True when the text with this id has exactly these bytes.
    @inline(__always)
    func textIs(_ id: UInt16, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let e = entry(id)
        guard e.pointee.count == bytes.count else { return false }
        return bytes.count == 0 || memcmp(e.pointee.bytes, bytes.baseAddress!, bytes.count) == 0
    }

    /// Whether the text with this id is all ASCII (`isASCII` of its bytes).
    @inline(__always)
    func isASCII(_ id: UInt16) -> Bool { entry(id).pointee.isASCII }

    /// Texts held.
    var distinctCount: Int { lock.withLock { count } }

    /// `KeyPrint.of` the text with this id.
    @inlinable @inline(__always)
    func print(_ id: UInt16) -> UInt64 { entry(id).pointee.print }

    /// The id of the text with these bytes (`hash` is `KeyTexts.hash` of
    /// them), added when new; nil when the table is full.
    func id(of bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> UInt16? {
        lock.lock()
        defer { lock.unlock() }
        var mask = slots.count - 1
        var i = Int(truncatingIfNeeded: hash) & mask
        while slots[i] != 0 {
            let id = UInt16(slots[i] - 1)
            if textIs(id, bytes) { return id }
            i = (i + 1) & mask
        }
        guard count < limit else { return nil }
        let (c, place) = Self.locate(count)
        if chunks[c] == nil { chunks[c] = .allocate(capacity: 16 << c) }
        let text = String(decoding: bytes, as: UTF8.self)
        let copy = UnsafeMutablePointer<UInt8>.allocate(capacity: max(1, bytes.count))
        if let base = bytes.baseAddress { copy.initialize(from: base, count: bytes.count) }
        (chunks[c].unsafelyUnwrapped + place).initialize(to: Entry(text: text, print: KeyPrint.of(text),
                                                                   bytes: copy, count: bytes.count,
                                                                   isASCII: Self.isASCII(bytes)))
        let id = UInt16(count)
        count += 1
        slots[i] = UInt32(id) + 1
        if count * 2 > slots.count {
            // Grow: place every id again by the hash of its text.
            slots = Array(repeating: 0, count: slots.count * 2)
            mask = slots.count - 1
            for k in 0..<count {
                var text = self[UInt16(k)]
                var j = Int(truncatingIfNeeded: text.withUTF8 { Self.hash($0) }) & mask
                while slots[j] != 0 { j = (j + 1) & mask }
                slots[j] = UInt32(k) + 1
            }
        }
        return id
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= bytes.count {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < bytes.count {
            if bytes[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// A hash of any number of bytes (`BytesHash.of`).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 { BytesHash.of(bytes) }
}

/// A file's cache of key ids (direct-mapped, like `StringInterner`), in
/// front of the run's `KeyTexts`.
struct KeyInterner {
    let table: KeyTexts
    /// Id + 1 per slot (0: empty).
    private var slots: [UInt32]
    private let mask: Int

    init(table: KeyTexts, capacity: Int = 256) {
        self.table = table
        var n = 16
        while n < capacity { n <<= 1 }
        slots = Array(repeating: 0, count: n)
        mask = n - 1
    }

    /// The id of a key's text; nil when the table is full.
    mutating func id(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt16? {
        let h = KeyTexts.hash(bytes)
        let slot = Int(truncatingIfNeeded: h ^ (h >> 32)) & mask
        if slots[slot] != 0 {
            let id = UInt16(slots[slot] - 1)
            if table.textIs(id, bytes) { return id }
        }
        guard let id = table.id(of: bytes, hash: h) else { return nil }
        slots[slot] = UInt32(id) + 1
        return id
    }
}

/// The caches one load interns through (a class, so that a run can lend
/// them from file to file; only one load uses them at a time).
final class LoadCaches {
    @exclusivity(unchecked) var strings: StringInterner
    @exclusivity(unchecked) var keys: KeyInterner

    init(strings: StringInterner, keys: KeyInterner) {
        self.strings = strings
        self.keys = keys
    }
}

/// The byte hash of the key tables, and of other tables of texts in one
/// process (the built-in expression trees).
package enum BytesHash {
    /// A hash of any number of bytes, eight at a time (keys are often
    /// shorter than eight): not a stable format, only for tables built and
    /// read in one process.
    @inlinable
    package static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h = UInt64(truncatingIfNeeded: bytes.count) &* 0x9E37_79B9_7F4A_7C15
        guard let base = bytes.baseAddress else { return h }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= bytes.count {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < bytes.count {
            var w: UInt64 = 0
            while i < bytes.count {
                w = w << 8 | UInt64(bytes[i])
                i += 1
            }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        return h
    }
}
