import PolicyEngine
import YAMLSource

/// The files and reports a run writes, and what it refuses to write.
extension SessionRun {
    /// Writes a report or baseline file (creating its folder), or stops
    /// the run with 2 and the system's reason.
    func writeOutput(_ path: String, _ text: String) throws {
        try writeOutput(path) { emit in _ = emit(Array(text.utf8)) }
    }

    func writeOutput(_ path: String, produce: (_ emit: ([UInt8]) -> Bool) -> Void) throws {
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex,
           case .failure(let e) = FileSystem.makeDirectories(String(path[..<slash])) {
            error("tenantlint: error: cannot write \(path): cannot create \(e.path): \(e.message)")
            throw Stop(status: 2)
        }
        if case .failure(let e) = FileSystem.writeAtomically(path, produce: produce) {
            error("tenantlint: error: cannot write \(path): \(e.message)")
            throw Stop(status: 2)
        }
    }

    /// Writes `--write-baseline` and returns what to say about it. Without
    /// `--baseline`, the run's findings; with it, a refresh (see `Baseline.refresh`).
    func writeBaselineFile(_ path: String, _ result: LintResult, previous: Baseline?) throws -> String {
        guard let previous else {
            try writeOutput(path, Baseline.render(result.findings))
            return "tenantlint: wrote \(result.findings.count) finding(s) to the baseline \(path)"
        }
        // Every finding of the run, whether the old baseline hid it or not;
        // TL012 findings are about the old baseline itself.
        let all = result.findings.filter { $0.check != .staleBaselineEntry }
            + result.suppressed.filter { $0.suppression.kind == .baseline }.map(\.finding)
        let refresh = previous.refresh(with: all.sorted(by: Finding.reportOrder), prune: options.prune)
        try writeOutput(path, Baseline.render(entries: refresh.entries))
        let stale = refresh.stale == 0 ? "0 stale" : options.prune ? "\(refresh.stale) stale dropped (--prune)"
            : "\(refresh.stale) stale kept (drop them with --prune)"
        return "tenantlint: wrote \(refresh.entries.count) finding(s) to the baseline \(path): \(refresh.kept) still matching from \(previous.path), \(refresh.added) new, \(stale)"
    }

    /// Stops the run with 2 before linting when a report or the new
    /// baseline would replace a file the run reads: a manifest, a
    /// configuration, a rule file, or (for a report) the baseline; or when
    /// two outputs are one file under two names. Files are compared by
    /// device and inode, so `./m.yaml`, a link to it and `m.yaml` are the same file.
    func refuseToOverwriteInputs(files: [String], configs: [String], ruleFiles: [String]) throws {
        var outputs: [(what: String, file: String)] = options.reports.compactMap { r in
            r.file.map { ("the \(r.format.rawValue) report", $0) }
        }
        if let writeBaseline = options.writeBaseline { outputs.append(("the baseline", writeBaseline)) }
        // Nothing written to a file (an editor's run): no input to look at.
        guard !outputs.isEmpty else { return }
        var reads: [FileSystem.Identity: String] = [:]
        func add(_ paths: [String], _ what: String) {
            for p in paths { if let id = FileSystem.identity(p), reads[id] == nil { reads[id] = "\(what) \(p)" } }
        }
        add(files, "the manifest")
        add(configs, "the configuration")
        add(ruleFiles, "the rule file")
        add(options.actual.map { [$0] } ?? [], "the --actual export")
        var written: [FileSystem.Identity: String] = [:]
        for (what, file) in outputs {
            guard let id = FileSystem.identity(file) else { continue }
            var input = reads[id]
            if input == nil, what != "the baseline", let b = options.baselinePath, FileSystem.identity(b) == id {
                input = "the baseline \(b)"
            }
            if let input {
                error("tenantlint: error: refusing to write \(what) to \(file): it is \(input), which this run reads")
                throw Stop(status: 2)
            }
            if let other = written[id] {
                error("tenantlint: error: \(other) and \(what) would both be written to \(file)")
                throw Stop(status: 2)
            }
            written[id] = what
        }
    }

    func printTimings(_ t: LintTimings, loadSeconds: Double) {
        func ms(_ s: Double) -> String {
            let v = (s * 10000).rounded() / 10
            return String(v) + " ms"
        }
        var lines = ["timings: rule pack \(ms(loadSeconds))"]
        for p in t.phases { lines.append("timings: \(p.name) \(ms(p.seconds))") }
        for r in t.rules.sorted(by: { $0.seconds > $1.seconds }) where r.seconds >= 0.0005 {
            lines.append("timings: rule \(r.code) \(ms(r.seconds)) cpu")
        }
        error(lines.joined(separator: "\n"))
    }

    /// In GitHub Actions, a Markdown table of all findings goes to the job
    /// summary (GitHub shows only 10 annotations of each kind per step).
    func appendStepSummary(_ result: LintResult) {
        guard options.writesReports, let path = options.environment.stepSummaryPath, !path.isEmpty,
              options.reports.isEmpty || options.reports.contains(where: { $0.format == .github }) else { return }
        FileSystem.append(path, Array(GitHubReporter.stepSummary(result).utf8))
    }

    /// Writes every report: standard output's streamed a chunk at a time,
    /// a file's streamed into the temporary file that is then renamed over it.
    func writeReports(_ result: LintResult, pack: RulePack) throws {
        guard options.writesReports else { return }
        var context = ReportContext(toolVersion: options.environment.toolVersion, color: options.color,
                                    snippets: options.snippets, catalog: pack.catalog)
        context.summary = options.summary
        context.statistics = options.statistics
        let reports = options.effectiveReports
        // --statistics is part of the text report; without one, it goes to standard error.
        if context.statistics && !reports.contains(where: { $0.format == .text }) {
            let table = TextReporter.statistics(result)
            if !table.isEmpty { error(table) }
        }
        for report in reports {
            var ctx = context
            guard let file = report.file else {
                let out = ReportWriter(sink: output.standardOutput)
                report.format.reporter().write(result, context: ctx, to: out)
                out.flush()
                continue
            }
            ctx.color = false
            try writeOutput(file) { emit in
                withoutActuallyEscaping(emit) { emit in
                    let out = ReportWriter(sink: emit)
                    report.format.reporter().write(result, context: ctx, to: out)
                    out.flush()
                }
            }
        }
    }
}
