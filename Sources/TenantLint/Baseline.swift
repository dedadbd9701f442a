import YAMLSource

/// A baseline: accepted findings keyed by (file, code, YAML path, value), not
/// by line numbers, so they survive edits that move lines. Stored as stable,
/// sorted, pretty JSON so that diffs review well.
public struct Baseline: Sendable {
    public static let staleCode = "TL012"

    public struct Entry: Sendable, Hashable {
        public let file: String
        public let code: String
        public let path: String
        public let value: String
        /// For people reading the file; not part of the key.
        public let message: String

        var key: String { "\(file)\u{0}\(code)\u{0}\(path)\u{0}\(value)" }
    }

    public let path: String
    public let entries: [Entry]
    /// Where each entry starts in the baseline file (for TL012 positions).
    let positions: [SourceRange]

    /// The baseline of a set of findings, sorted.
    public static func render(_ findings: [Finding]) -> String {
        let entries = findings.map { Entry(file: $0.location.file, code: $0.code, path: $0.path, value: $0.value, message: $0.message) }
            .sorted { ($0.file, $0.code, $0.path, $0.value, $0.message) < ($1.file, $1.code, $1.path, $1.value, $1.message) }
        let json: JSONValue = .object([
            ("version", .int(1)),
            ("tool", .string("tenantlint")),
            ("findings", .array(entries.map { e in
                .object([("file", .string(e.file)), ("code", .string(e.code)), ("path", .string(e.path)),
                         ("value", .string(e.value)), ("message", .string(e.message))])
            })),
        ])
        return json.serialized()
    }

    /// Reads a baseline file; errors carry the position in it.
    public static func load(path: String, bytes: [UInt8]) -> Result<Baseline, RuleLoadError> {
        let source = Source(path: path, bytes: bytes)
        let loaded = Loader().load(source)
        if let p = loaded.problems.first { return .failure(RuleLoadError(p.message, file: path, position: p.range.start)) }
        guard let root = loaded.documents.first?.root, root.mapping != nil,
              root["version"]?.scalar?.value == .int(1), let list = root["findings"]?.sequence else {
            return .failure(RuleLoadError("not a tenantlint baseline (expected {\"version\": 1, \"findings\": [...]}); write one with --write-baseline",
                                          file: path, position: SourcePosition(line: 1, column: 1, offset: 0)))
        }
        var entries: [Entry] = []
        var positions: [SourceRange] = []
        for item in list {
            guard let file = item["file"]?.text, let code = item["code"]?.text else {
                return .failure(RuleLoadError("a baseline entry needs 'file' and 'code'", at: item))
            }
            // One path identity: `./m/x.yaml` in a baseline is `m/x.yaml` in a run.
            entries.append(Entry(file: PathUtil.display(file), code: code, path: item["path"]?.text ?? "", value: item["value"]?.text ?? "",
                                 message: item["message"]?.text ?? ""))
            positions.append(item.range)
        }
        return .success(Baseline(path: path, entries: entries, positions: positions))
    }

    /// Splits findings into those the baseline accepts and the rest, and
    /// reports entries that match nothing (TL012). Each entry matches at most
    /// one finding.
    public func apply(_ findings: [Finding]) -> (kept: [Finding], suppressed: [SuppressedFinding], stale: [Finding]) {
        var available: [String: [Int]] = [:]
        for (i, e) in entries.enumerated() { available[e.key, default: []].append(i) }
        var kept: [Finding] = []
        var suppressed: [SuppressedFinding] = []
        for f in findings {
            let key = Entry(file: f.location.file, code: f.code, path: f.path, value: f.value, message: "").key
            if var list = available[key], !list.isEmpty {
                list.removeFirst()
                available[key] = list
                suppressed.append(SuppressedFinding(finding: f, suppression: Suppression(kind: .baseline, justification: "accepted in baseline \(path)")))
            } else {
                kept.append(f)
            }
        }
        var stale: [Finding] = []
        for (_, list) in available {
            for i in list {
                let e = entries[i]
                stale.append(Finding(code: Self.staleCode,
                                     message: "baseline entry for \(e.code) at \(e.file) (\(e.path.isEmpty ? "document" : e.path)) no longer matches any finding; regenerate with --write-baseline",
                                     location: Location(file: path, range: positions[i])))
            }
        }
        stale.sort(by: Finding.reportOrder)
        return (kept, suppressed, stale)
    }
}
