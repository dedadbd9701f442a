import YAMLSource


/// Reads LSP base-protocol messages from a file descriptor: header lines
/// (`Content-Length: N`, optionally `Content-Type`) ended by an empty line,
/// then N bytes of JSON. A malformed header is reported and skipped, so one
/// bad message does not end the session.
public final class MessageReader: @unchecked Sendable {
    public enum Item: Equatable {
        /// The body of one message (not yet parsed).
        case message([UInt8])
        /// A header block that could not be used; the reader has skipped it.
        case malformed(String)
        /// The input ended.
        case end
    }

    /// The largest body accepted; a larger one is skipped and reported.
    public static let maxBody = 256 << 20
    static let maxHeader = 8 << 10

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    public init(fd: Int32) {
        self.fd = fd
    }

    /// Reads more bytes; false at the end of the input.
    private func fill() -> Bool {
        if ended { return false }
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                buffer += chunk[0..<n]
                return true
            }
            if n < 0 && errno == EINTR { continue }
            ended = true
            return false
        }
    }

    /// The index just past the first `\r\n\r\n` at or after `start`.
    private func headerEnd() -> Int? {
        var i = start
        while i + 3 < buffer.count {
            if buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 { return i + 4 }
            i += 1
        }
        return nil
    }

    /// The offset of a `Content-Length:` that does not start a line, when
    /// no line of the block starts with one.
    static func embeddedHeader(_ block: ArraySlice<UInt8>) -> Int? {
        let name = Array("content-length:".utf8)
        var found: Int?
        var i = block.startIndex
        while i + name.count <= block.endIndex {
            var match = true
            for j in 0..<name.count {
                let b = block[i + j]
                if (b >= 0x41 && b <= 0x5A ? b | 0x20 : b) != name[j] {
                    match = false
                    break
                }
            }
            if match {
                let atLineStart = i == block.startIndex || (i - block.startIndex >= 2 && block[i - 2] == 13 && block[i - 1] == 10)
                if atLineStart { return nil }
                if found == nil { found = i - block.startIndex }
            }
            i += 1
        }
        return found
    }

    public func next() -> Item {
        // The header block.
        var end = headerEnd()
        while end == nil {
            if buffer.count - start > Self.maxHeader {
                buffer.removeAll()
                start = 0
                return .malformed("a message header longer than \(Self.maxHeader) bytes; input skipped")
            }
            guard fill() else {
                let blank = buffer[start...].allSatisfy { $0 == 10 || $0 == 13 || $0 == 32 || $0 == 9 }
                buffer.removeAll()
                start = 0
                return blank ? .end : .malformed("the input ended inside a message header")
            }
            end = headerEnd()
        }
        let headerBytes = buffer[start..<(end! - 4)]
        // Bytes that are not a message (a body longer than its Content-Length
        // said, garbage) run into the next header: skip to the header.
        if let k = Self.embeddedHeader(headerBytes) {
            start += k
            return .malformed("skipped \(k) bytes that are not a message")
        }
        start = end!
        var length: Int?
        for line in String(decoding: headerBytes, as: UTF8.self).split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else {
                return .malformed("malformed header line '\(line.prefix(80))'")
            }
            let name = line[..<colon].trimmingCharacters().lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters()
            if name == "content-length" {
                guard let n = Int(value), n >= 0 else { return .malformed("Content-Length '\(value.prefix(40))' is not a length") }
                length = n
            }
        }
        guard let length else { return .malformed("a message without Content-Length") }
        if length > Self.maxBody {
            // Skip the body without keeping it.
            var left = length
            while left > 0 {
                let have = min(left, buffer.count - start)
                start += have
                left -= have
                if left > 0 && !fill() { break }
            }
            return .malformed("a message of \(length) bytes, more than the \(Self.maxBody) accepted; skipped")
        }
        while buffer.count - start < length {
            guard fill() else {
                buffer.removeAll()
                start = 0
                return .malformed("the input ended inside a message body")
            }
        }
        let body = Array(buffer[start..<(start + length)])
        start += length
        return .message(body)
    }
}

/// Writes messages with their `Content-Length` header; safe to call from
/// any thread (one message at a time).
public final class MessageWriter: @unchecked Sendable {
    private let fd: Int32
    private let lock = Lock()
    private var broken = false

    public init(fd: Int32) {
        self.fd = fd
    }

    /// Drops every later message: the session is over, and the descriptor
    /// may be closed (and its number reused) by the caller.
    public func stop() {
        lock.withLock { broken = true }
    }

    public func send(_ message: JSON) {
        let body = message.encoded
        var bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        bytes += body
        lock.withLock {
            guard !broken else { return }
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    broken = true  // the client went away; later messages are dropped
                    return
                }
            }
        }
    }
}

extension Substring {
    func trimmingCharacters() -> String {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
