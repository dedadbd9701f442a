/// What every reporter is given besides the result.
public struct ReportContext: Sendable {
    public var toolName = "tenantlint"
    public var toolVersion: String
    public var color: Bool
    public var snippets: Bool
    public var catalog: RuleCatalog
    /// Whether the text format ends with the summary line (`-q` leaves it out).
    public var summary = true
    /// Whether the text format lists the number of findings of each rule (`--statistics`).
    public var statistics = false

    public init(toolVersion: String, color: Bool = false, snippets: Bool = true, catalog: RuleCatalog) {
        self.toolVersion = toolVersion
        self.color = color
        self.snippets = snippets
        self.catalog = catalog
    }
}

/// One output format. Reporters are pure: the same result gives the same bytes.
///
/// A reporter writes its report to a `ReportWriter` as it goes, a finding
/// at a time, so the memory a report needs does not grow with its size
/// (a million findings are a gigabyte of SARIF).
public protocol Reporter {
    func write(_ result: LintResult, context: ReportContext, to out: ReportWriter)
}

extension Reporter {
    /// The whole report as one string (for tests and small reports).
    public func render(_ result: LintResult, context: ReportContext) -> String {
        var bytes: [UInt8] = []
        let out = ReportWriter { chunk in
            bytes.append(contentsOf: chunk)
            return true
        }
        write(result, context: context, to: out)
        out.flush()
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Where a report goes: text is collected in a buffer and handed to the
/// sink in chunks of about `chunkSize` bytes (to standard output, or to a
/// file as it is written), so at most a chunk and the text of one finding
/// are held at a time.
public final class ReportWriter {
    public static let defaultChunkSize = 1 << 16

    let chunkSize: Int
    private let sink: ([UInt8]) -> Bool
    private var buffer: [UInt8] = []
    /// False once the sink refused a chunk; later text is dropped.
    public private(set) var ok = true
    /// Bytes handed to the sink so far.
    public private(set) var bytesWritten = 0
    /// The most bytes the buffer held at once (tests check that a report streams).
    public private(set) var peakBuffered = 0

    /// `sink` returns false when it cannot take the chunk (a write error).
    public init(chunkSize: Int = ReportWriter.defaultChunkSize, sink: @escaping ([UInt8]) -> Bool) {
        self.chunkSize = max(1, chunkSize)
        self.sink = sink
        buffer.reserveCapacity(min(self.chunkSize, 1 << 20) + 4096)
    }

    public func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer.append(contentsOf: $0) }
        if buffer.count > peakBuffered { peakBuffered = buffer.count }
        if buffer.count >= chunkSize { flush() }
    }

    /// Hands everything buffered to the sink.
    public func flush() {
        guard !buffer.isEmpty else { return }
        if ok {
            ok = sink(buffer)
            if ok { bytesWritten += buffer.count }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The formats `--format` accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text, json, sarif, junit, github, checkstyle

    public func reporter() -> Reporter {
        switch self {
        case .text: return TextReporter()
        case .json: return JSONReporter()
        case .sarif: return SARIFReporter()
        case .junit: return JUnitReporter()
        case .github: return GitHubReporter()
        case .checkstyle: return CheckstyleReporter()
        }
    }
}
