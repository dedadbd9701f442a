import PolicyEngine
import YAMLSource

extension SessionRun {
    /// `--fix`, `--diff`, `--add-suppressions`: fix (or add comments) in
    /// memory, then print a diff or write the files, then report what
    /// remains. Returns the exit status.
    mutating func runFixes(_ inputs: [InputFile], lint: ([InputFile]) -> LintResult, pack: RulePack,
                           readErrors: [InputError], threshold: FailOn) throws -> Int32 {
        let paths = options.effectivePaths
        let diff = options.diff
        let fix = options.fix
        let addSuppressions = options.addSuppressions
        var writer = FixWriter(roots: paths.filter { $0 != "-" })
        let stdinPath = paths.contains("-") ? options.stdinFilename : nil
        var refused: [String: String] = [:]
        var judged: [String: Bool] = [:]  // one realpath per file, not per finding
        let eligible: (String) -> Bool = { path in
            if let known = judged[path] { return known }
            var ok = true
            if path == stdinPath {
                ok = diff
            } else if case .failure(let e) = writer.target(for: path) {
                refused[path] = e.message
                ok = false
            }
            judged[path] = ok
            return ok
        }
        var files = inputs
        var fixed = 0
        var result: LintResult
        if fix || (diff && !addSuppressions) {
            let outcome = Fixer(allowing: options.unsafeFixes ? .unsafe : .safe).run(inputs, eligible: eligible, lint: lint)
            files = outcome.files
            fixed = outcome.fixed
            result = outcome.result
        } else {
            result = lint(inputs)
        }
        var added = 0
        if addSuppressions {
            let s = SuppressionWriter.run(result, inputs: files, eligible: eligible)
            added = s.added
            for f in s.failed {
                let p = f.location.range.start
                error("tenantlint: warning: \(f.location.file):\(p.line):\(p.column): no suppression comment fits here for \(f.code)")
            }
            if !s.files.isEmpty {
                files = files.map { f in s.files[f.path].map { InputFile(path: f.path, bytes: $0) } ?? f }
                result = lint(files)
            }
        }
        outcome.result = result
        var changed: [(old: InputFile, new: InputFile)] = []
        var seen = Set<String>()
        for (old, new) in zip(inputs, files) where old.bytes != new.bytes && seen.insert(old.path).inserted {
            changed.append((old, new))
        }
        outcome.changedFiles = changed
        var failed = false
        var summary: [String] = []
        if fix || (diff && !addSuppressions) { summary.append("\(diff ? "would fix" : "fixed") \(fixed) (\(result.findings.count) remaining)") }
        if addSuppressions { summary.append("\(diff ? "would add" : "added") \(added) suppression\(added == 1 ? "" : "s")") }
        if diff {
            var out = ""
            for c in changed { out += UnifiedDiff.render(path: c.old.path, old: c.old.bytes, new: c.new.bytes) }
            if !out.isEmpty { _ = output.standardOutput(Array(out.utf8)) }
        } else {
            for c in changed {
                if case .failure(let e) = writer.write(c.old.path, original: c.old.bytes, bytes: c.new.bytes) {
                    error("tenantlint: error: \(c.old.path): \(e.message)")
                    failed = true
                }
            }
            try writeReports(result, pack: pack)
        }
        for (path, message) in refused.sorted(by: { $0.key < $1.key }) {
            error("tenantlint: warning: \(path): \(message)")
        }
        error("tenantlint: " + summary.joined(separator: ", "))
        for e in readErrors {
            error("tenantlint: error: \(e.path): \(e.message)")
        }
        if !readErrors.isEmpty || failed { return 2 }
        if diff { return changed.isEmpty ? 0 : 1 }
        return result.findings.contains(where: { threshold.fails($0.severity) }) ? 1 : 0
    }
}
