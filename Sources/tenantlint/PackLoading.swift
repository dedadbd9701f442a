import ArgumentParser
import TenantLint

/// Loads the rule pack with user rule directories through the library's
/// `LintSession.loadRulePack`; load errors are printed as
/// `file:line:col: error: message` and exit 2. `lint` loads the built-in
/// rules without their examples (it does not use them); every other
/// command loads the pack whole.
func loadPack(ruleDirectories: [String], builtinExamples: Bool = true,
              jobs: Int = Parallel.processorCount) throws -> RulePack {
    switch LintSession.loadRulePack(ruleDirectories: ruleDirectories, builtinExamples: builtinExamples, jobs: jobs) {
    case .success(let loaded):
        return loaded.pack
    case .failure(let failure):
        for m in failure.messages { Terminal.error(m) }
        throw ExitCode(2)
    }
}
