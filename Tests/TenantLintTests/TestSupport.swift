import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// The built-in pack, loaded once for all tests.
let builtinPack: RulePack = {
    do { return try RulePack.builtin() } catch { fatalError("built-in rule pack does not load: \(error)") }
}()

/// 2026-03-15, the fixed "today" of the tests.
let testToday = DateValue.days(year: 2026, month: 3, day: 15)

/// Lints in-memory files as one run.
func lint(_ files: [(String, String)]) -> LintResult {
    let linter = Linter(pack: builtinPack, options: LintOptions(today: testToday))
    return linter.lint(files.map { InputFile(path: $0.0, bytes: Array($0.1.utf8)) })
}

func lint(_ text: String, path: String = "t.yaml") -> LintResult {
    lint([(path, text)])
}

/// `file:line:col code message` for compact exact assertions.
func rows(_ r: LintResult) -> [String] {
    r.findings.map { "\($0.location.file):\($0.location.range.start.line):\($0.location.range.start.column) \($0.code) \($0.message)" }
}

/// Repository root, from this file's path.
let repoRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

let tenantHeader = "apiVersion: tenantlint/v1\nkind: Tenant\nmetadata: {name: contoso}\n"

/// Structural findings only (TL0xx), for tests of the front end and schema
/// on minimal documents that the policy rules would also judge.
func structural(_ r: LintResult) -> [String] {
    rows(r).filter { $0.split(separator: " ").dropFirst().first?.hasPrefix("TL0") == true }
}

/// Spec lines that keep the default-based policy rules (anyone links,
/// open federation, OneDrive above SharePoint) quiet.
let quietSpec = "  sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}\n  externalAccess: {allowedDomains: []}\n"

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "tenantlint-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}
