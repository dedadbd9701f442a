import YAMLSource

/// A baseline: accepted findings keyed by their `FindingIdentity` (code,
/// file, YAML path, value), not by line numbers, so they survive edits that move lines. Stored as stable,
/// sorted, pretty JSON so that diffs review well.
public struct Baseline: Sendable {
    public struct Entry: Sendable, Hashable {
        public let file: String
        public let code: String
        public let path: String
        public let value: String
        /// For people reading the file; not part of the key.
        public let message: String

        var identity: FindingIdentity { FindingIdentity(code: code, file: file, path: path, value: value) }

        public init(file: String, code: String, path: String, value: String, message: String) {
            self.file = file
            self.code = code
            self.path = path
            self.value = value
            self.message = message
        }

        public init(_ f: Finding) {
            self.init(file: f.location.file, code: f.code, path: f.path, value: f.value, message: f.message)
        }
    }

    /// What refreshing a baseline writes (`--baseline B --write-baseline B`).
    public struct Refresh: Sendable {
        /// Every entry to write.
        public var entries: [Entry]
        /// Entries of the old baseline that a finding of this run still matches.
        public var kept: Int
        /// Findings of this run that no old entry matched.
        public var added: Int
        /// Old entries no finding matched (TL012): kept unless pruned.
        public var stale: Int
    }

    /// The baseline for a run's findings given this one: every finding of
    /// the run (those the baseline hid and the new ones), plus the entries
    /// that match nothing when `prune` is false. Entries match as in `apply`
    /// (each at most one finding); a kept entry takes the finding's current
    /// message.
    public func refresh(with findings: [Finding], prune: Bool) -> Refresh {
        var available: [FindingIdentity: Int] = [:]
        for e in entries { available[e.identity, default: 0] += 1 }
        var out: [Entry] = []
        var kept = 0
        for f in findings {
            let entry = Entry(f)
            if let n = available[entry.identity], n > 0 {
                available[entry.identity] = n - 1
                kept += 1
            }
            out.append(entry)
        }
        var stale = 0
        for e in entries {
            guard let n = available[e.identity], n > 0 else { continue }
            available[e.identity] = n - 1
            stale += 1
            if !prune { out.append(e) }
        }
        return Refresh(entries: out, kept: kept, added: findings.count - kept, stale: stale)
    }

    public let path: String
    public let entries: [Entry]
    /// Where each entry starts in the baseline file (for TL012 positions).
    let positions: [SourceRange]

    /// The baseline of a set of findings, sorted.
    public static func render(_ findings: [Finding]) -> String {
        render(entries: findings.map(Entry.init))
    }

    /// A baseline of these entries, sorted.
    public static func render(entries unsorted: [Entry]) -> String {
        let entries = unsorted
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
        var available: [FindingIdentity: [Int]] = [:]
        for (i, e) in entries.enumerated() { available[e.identity, default: []].append(i) }
        var kept: [Finding] = []
        var suppressed: [SuppressedFinding] = []
        for f in findings {
            let key = f.identity
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
                stale.append(Finding(.staleBaselineEntry,
                                     message: "baseline entry for \(e.code) at \(e.file) (\(e.path.isEmpty ? "document" : e.path)) no longer matches any finding; regenerate with --write-baseline",
                                     location: Location(file: path, range: positions[i])))
            }
        }
        stale.sort(by: Finding.reportOrder)
        return (kept, suppressed, stale)
    }
}
