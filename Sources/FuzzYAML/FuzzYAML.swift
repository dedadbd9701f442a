import FuzzSupport
import TenantLint
import YAMLSource

/// The YAML front end, the schema and the rules on one input file, linted in
/// one run with a sibling file whose finding must survive whatever the input
/// is; then the reporters (all but SARIF) render the result.
private let sibling = InputFile(path: "sibling.yaml", bytes: Array("""
    apiVersion: tenantlint/v1
    kind: Tenant
    metadata: {name: sibling-fuzz-tenant}
    spec:
      sharePoint: {sharingCapability: Disabled, oneDriveSharingCapability: Disabled}
      externalAccess: {allowedDomains: []}
      fuzzUnknownField: 1

    """.utf8))

private let context = ReportContext(toolVersion: "fuzz", color: false, snippets: true, catalog: Fuzz.pack.catalog)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzYAML(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let input = InputFile(path: "fuzz.yaml", bytes: bytes)
    let result = Fuzz.linter.lint([input, sibling])
    Fuzz.expect(result.findings.contains { $0.location.file == "sibling.yaml" && $0.check == .unknownField },
                "the sibling file's TL003 is missing")
    for f in result.findings {
        guard let source = result.source(for: f.location.file) else {
            Fuzz.fail("finding \(f.code) in unknown file \(f.location.file)")
        }
        Fuzz.checkRange(f.location.range, in: source, "\(f.code) '\(f.message)'")
        for r in f.related {
            if let s = result.source(for: r.location.file) {
                Fuzz.checkRange(r.location.range, in: s, "related of \(f.code) '\(f.message)'")
            }
        }
        Fuzz.expect(!f.message.isEmpty, "\(f.code) has an empty message")
    }
    // Suppressions and the reporters see the same odd input. SARIF is left
    // out: it is dominated by the (constant) rule catalog, which would cost
    // most of each execution.
    let filtered = FindingFilter(catalog: Fuzz.pack.catalog, configuration: { _ in nil }).apply(result)
    for format in OutputFormat.allCases where format != .sarif {
        _ = format.reporter().render(filtered, context: context)
    }
    return 0
}

@_cdecl("FuzzYAML_main")
public func fuzzYAMLMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv) { data, size in fuzzYAML(data, size) }
}
