import PolicyEngine
import YAMLSource

/// Applies the fixes of a run's findings to the files' bytes, in memory:
/// per pass, every finding's first allowed fix whose edits overlap no edit
/// already chosen for its file; then the run is linted again and the next
/// pass fixes what the new findings offer, until a pass changes nothing or
/// `maxPasses` is reached. Files with a syntax error are never touched, and
/// a file whose fixes would make one goes back to its last good bytes.
public struct Fixer {
    /// The least safe fixes to apply: `.safe` applies safe fixes only,
    /// `.unsafe` applies all of them.
    public let allowing: FixSafety
    public var maxPasses = 10
    /// Fix only findings of these rule codes (nil: all).
    public var codes: Set<String>?

    public init(allowing: FixSafety) {
        self.allowing = allowing
    }

    public struct Outcome {
        /// The inputs with their fixed bytes, in input order.
        public var files: [InputFile]
        /// Paths whose bytes changed, in input order.
        public var changed: [String]
        /// Fixes applied, over all passes.
        public var fixed: Int
        /// The run linted on the fixed files (what remains).
        public var result: LintResult
        /// Passes that applied at least one fix.
        public var passes: Int
        /// Files whose fixes of a pass made a syntax error, so were undone
        /// (never expected: a defect of an edit).
        public var undone: [String] = []
    }

    /// Fixes `inputs` (only the paths `eligible` allows), linting with `lint`.
    public func run(_ inputs: [InputFile], eligible: (String) -> Bool, lint: ([InputFile]) -> LintResult) -> Outcome {
        var files = inputs
        var result = lint(files)
        // A file with a syntax error is never edited: its tree is a guess.
        var frozen = Set(Self.syntaxErrorFiles(result))
        var fixed = 0
        var passes = 0
        var undone: [String] = []
        var seen: [String: Set<[UInt8]>] = [:]
        for f in files { seen[f.path, default: []].insert(f.bytes) }
        while passes < maxPasses {
            let chosen = choose(result.findings) { eligible($0) && !frozen.contains($0) }
            guard !chosen.isEmpty else { break }
            var previous: [String: [UInt8]] = [:]
            var applied = 0
            for i in files.indices {
                guard let pick = chosen[files[i].path], previous[files[i].path] == nil else { continue }
                let new = TextEdit.apply(pick.edits, to: files[i].bytes)
                // A state seen before: the fixes go round in circles.
                guard new != files[i].bytes, seen[files[i].path, default: []].insert(new).inserted else {
                    frozen.insert(files[i].path)
                    continue
                }
                previous[files[i].path] = files[i].bytes
                files[i] = InputFile(path: files[i].path, bytes: new)
                applied += pick.count
            }
            guard applied > 0 else { break }
            var next = lint(files)
            // Fixes that broke a file's syntax are undone, and the file left alone.
            let broken = Set(Self.syntaxErrorFiles(next)).subtracting(frozen)
            if !broken.isEmpty {
                for i in files.indices where broken.contains(files[i].path) {
                    if let old = previous[files[i].path] {
                        files[i] = InputFile(path: files[i].path, bytes: old)
                        applied -= chosen[files[i].path]?.count ?? 0
                    }
                }
                frozen.formUnion(broken)
                undone += broken.sorted()
                next = lint(files)
            }
            fixed += applied
            passes += 1
            result = next
        }
        let changed = zip(inputs, files).filter { $0.bytes != $1.bytes }.map(\.0.path)
        return Outcome(files: files, changed: changed, fixed: fixed, result: result, passes: passes, undone: undone)
    }

    /// Per file, the edits of the fixes to apply now and how many fixes they are.
    public func choose(_ findings: [Finding], eligible: (String) -> Bool) -> [String: (edits: [TextEdit], count: Int)] {
        var out: [String: (edits: [TextEdit], count: Int)] = [:]
        for f in findings where codes?.contains(f.code) ?? true {
            guard let fix = f.fixes.first(where: { $0.safety <= allowing }), !fix.edits.isEmpty else { continue }
            let file = f.location.file
            guard eligible(file), fix.edits.allSatisfy({ $0.location.file == file }) else { continue }
            var entry = out[file] ?? ([], 0)
            let clashes = fix.edits.contains { e in entry.edits.contains { $0.conflicts(with: e) } }
            guard !clashes else { continue }
            entry.edits += fix.edits
            entry.count += 1
            out[file] = entry
        }
        return out
    }

    static func syntaxErrorFiles(_ result: LintResult) -> [String] {
        result.findings.filter { $0.check == .yamlSyntax }.map(\.location.file)
            + result.suppressed.filter { $0.finding.check == .yamlSyntax }.map(\.finding.location.file)
    }
}
