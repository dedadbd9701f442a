import Foundation
import Testing
@testable import TenantLint
import YAMLSource
// repoRoot, temporaryDirectory, builtinPack, testToday, lint and the shared
// fixtures (tenantHeader, quietSpec, ...): Tests/TenantLintTestSupport.
@_exported import TenantLintTestSupport

/// `file:line:col code message` for compact exact assertions.
func rows(_ r: LintResult) -> [String] {
    r.findings.map { "\($0.location.file):\($0.location.range.start.line):\($0.location.range.start.column) \($0.code) \($0.message)" }
}

/// Structural findings only (TL0xx), for tests of the front end and schema
/// on minimal documents that the policy rules would also judge.
func structural(_ r: LintResult) -> [String] {
    rows(r).filter { $0.split(separator: " ").dropFirst().first?.hasPrefix("TL0") == true }
}
