/// One report of a run: a format, written to standard output or to a file
/// (`--format FORMAT` or `--format FORMAT=FILE`).
public struct ReportSpec: Sendable, Equatable {
    public var format: OutputFormat
    /// The file to write (atomically); nil: standard output.
    public var file: String?

    public init(format: OutputFormat, file: String? = nil) {
        self.format = format
        self.file = file
    }

    /// `FORMAT` or `FORMAT=FILE`; nil for an unknown format or an empty file.
    public init?(parsing spec: String) {
        let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
        guard let first = parts.first, let format = OutputFormat(rawValue: first) else { return nil }
        if spec.contains("=") && parts.count < 2 { return nil }
        self.format = format
        self.file = parts.count == 2 ? parts[1] : nil
    }

    /// As written on the command line.
    public var spec: String { file.map { "\(format.rawValue)=\($0)" } ?? format.rawValue }
}
