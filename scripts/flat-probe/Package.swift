// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "flatproto",
    targets: [
        .systemLibrary(name: "CYAMLP", pkgConfig: "yaml-0.1"),
        .executableTarget(name: "FlatProbe", dependencies: ["CYAMLP"], swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"])]),
    ]
)
