import ArgumentParser
import TenantLint

/// Loads the rule pack with user rule directories; load errors are printed
/// as `file:line:col: error: message` and exit 2. `lint` loads the
/// built-in rules without their examples (it does not use them); every
/// other command loads the pack whole.
func loadPack(ruleDirectories: [String], builtinExamples: Bool = true,
              jobs: Int = Parallel.processorCount) throws -> RulePack {
    var files: [String] = []
    return try loadPack(ruleDirectories: ruleDirectories, builtinExamples: builtinExamples, jobs: jobs, ruleFiles: &files)
}

/// `loadPack`, also giving the paths of the user rule files read.
func loadPack(ruleDirectories: [String], builtinExamples: Bool = true,
              jobs: Int = Parallel.processorCount, ruleFiles: inout [String]) throws -> RulePack {
    let (sources, inputErrors) = RulePack.readRuleDirectories(ruleDirectories)
    ruleFiles = sources.map(\.path)
    for e in inputErrors {
        Terminal.error("tenantlint: error: \(e.path): \(e.message)")
    }
    if !inputErrors.isEmpty { throw ExitCode(2) }
    switch RulePack.loadAll(userRules: sources, builtinExamples: builtinExamples, jobs: jobs) {
    case .success(let pack):
        return pack
    case .failure(let e):
        for error in e.errors { Terminal.error(error.description) }
        throw ExitCode(2)
    }
}
