import Foundation
import PolicyEngine
import TenantLint

// Helpers shared by the test targets (TenantLintTests, TenantLintCLITests,
// TenantLintLSPTests), which cannot import each other. A test target's own
// support file re-exports this module. Not part of any product.

/// Repository root, from this file's path.
public let repoRoot: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)
    return parts.joined(separator: "/")
}()

/// A fresh temporary directory.
public func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "tenantlint-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The built-in pack, loaded once for all tests.
public let builtinPack: RulePack = {
    do { return try RulePack.builtin() } catch { fatalError("built-in rule pack does not load: \(error)") }
}()

/// 2026-03-15, the fixed "today" of the tests.
public let testToday = DateValue.days(year: 2026, month: 3, day: 15)

/// Lints in-memory files as one run.
public func lint(_ files: [(String, String)]) -> LintResult {
    let linter = Linter(pack: builtinPack, options: LintOptions(today: testToday))
    return linter.lint(files.map { InputFile(path: $0.0, bytes: Array($0.1.utf8)) })
}

public func lint(_ text: String, path: String = "t.yaml") -> LintResult {
    lint([(path, text)])
}
