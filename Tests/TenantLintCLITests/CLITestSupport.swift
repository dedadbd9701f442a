import Foundation
@testable import TenantLint
// repoRoot, temporaryDirectory, builtinPack, testToday, lint, mapOf and the
// shared fixtures (tenantHeader, quietSpec, guestTeam, map and rule texts,
// importer fixture folders): Tests/TenantLintTestSupport.
@_exported import TenantLintTestSupport
