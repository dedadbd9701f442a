// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "tenantlint",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "tenantlint", targets: ["tenantlint"]),
        .library(name: "TenantLint", targets: ["TenantLint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // libyaml, from the system (Debian: libyaml-dev). Only YAMLSource imports it.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        .target(name: "YAMLSource", dependencies: ["CYAML"]),
        .target(name: "PolicyEngine", dependencies: ["YAMLSource"]),
        .target(name: "TenantLint", dependencies: ["YAMLSource", "PolicyEngine"]),
        // `tenantlint lsp`: the language server (JSON-RPC over stdio).
        .target(name: "TenantLintLSP", dependencies: ["TenantLint", "PolicyEngine", "YAMLSource"]),
        .executableTarget(
            name: "tenantlint",
            dependencies: [
                "TenantLint",
                "TenantLintLSP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Writes Sources/TenantLint/Generated/ from rules/ (and the function
        // table of docs/functions.md); run through scripts/embed-rules.
        .executableTarget(name: "generate-rule-pack", dependencies: ["PolicyEngine", "YAMLSource"]),
        // The synthetic corpus scripts/bench lints (`swift run bench-corpus`);
        // not part of the library or the tenantlint executable.
        .target(name: "BenchCorpus"),
        .executableTarget(
            name: "bench-corpus",
            dependencies: ["BenchCorpus", "TenantLint", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // Helpers and fixtures that more than one test target uses (test
        // targets cannot import each other); not part of any product.
        .target(name: "TenantLintTestSupport", dependencies: ["TenantLint", "PolicyEngine"], path: "Tests/TenantLintTestSupport"),
        .testTarget(name: "YAMLSourceTests", dependencies: ["YAMLSource"]),
        .testTarget(name: "PolicyEngineTests", dependencies: ["PolicyEngine", "YAMLSource"]),
        .testTarget(
            name: "TenantLintTests",
            dependencies: ["TenantLint", "PolicyEngine", "YAMLSource", "BenchCorpus", "TenantLintTestSupport"],
            // Read by path from the repository (repoRoot), not bundled.
            exclude: ["Golden", "Fixtures"]
        ),
        .testTarget(name: "TenantLintLSPTests", dependencies: ["TenantLintLSP", "TenantLint", "YAMLSource", "TenantLintTestSupport"]),
        // Tests that run the built executables (tenantlint, bench-corpus,
        // generate-rule-pack) as processes: exit codes, standard output and
        // error, files written. The library's own tests are TenantLintTests.
        .testTarget(name: "TenantLintCLITests", dependencies: [
            "TenantLint", "BenchCorpus", "TenantLintTestSupport",
            // The executable's own code (`@testable import tenantlint`): its argument parsing.
            "tenantlint", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
    ]
)

// Fuzz targets (libFuzzer), only when TENANTLINT_FUZZ=1 so that the normal
// `swift build` and `swift test` never see them. Build and run them with
// `scripts/fuzz TARGET SECONDS`; see docs/fuzzing.md.
if Context.environment["TENANTLINT_FUZZ"] == "1" {
    package.targets += [
        .target(name: "FuzzSupport", dependencies: ["TenantLint", "PolicyEngine", "YAMLSource"]),
        .executableTarget(name: "FuzzYAML", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzExpression", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzRuleFile", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzEvaluator", dependencies: ["FuzzSupport"]),
    ]
    package.products += ["FuzzYAML", "FuzzExpression", "FuzzRuleFile", "FuzzEvaluator"].map { .executable(name: $0, targets: [$0]) }
}
