import FuzzSupport
import TenantLint
import YAMLSource

/// A rule file (the input): loaded and checked for shape, compiled with the
/// built-in function library, then run over the sample documents and over
/// the documents of its own examples. Every load error must point inside
/// the rule file; every finding inside the file it names.
private let sampleSources: [String: Source] = Dictionary(
    Fuzz.samples.map { ($0.path, Source(path: $0.path, bytes: $0.bytes)) }, uniquingKeysWith: { a, _ in a })

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRuleFile(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let source = Source(path: "rules/FUZZ001-fuzz.yaml", bytes: bytes)
    fuzzFunctionFile(bytes)
    let (rule, errors) = RuleFileLoader.load(source)
    for e in errors {
        Fuzz.expect(e.file == source.path, "load error in another file: \(e)")
        Fuzz.expect(!e.message.isEmpty, "load error without a message at \(e.position)")
        Fuzz.checkPosition(e.position, in: source, "load error '\(e.message)'")
    }
    guard let rule else { return 0 }
    let (compiled, compileErrors) = CompiledRule.compile(rule, library: Fuzz.pack.library)
    for e in compileErrors {
        Fuzz.expect(e.file == source.path, "compile error in another file: \(e)")
        Fuzz.checkPosition(e.position, in: source, "compile error '\(e.message)'")
    }
    guard let compiled else { return 0 }
    let engine = RuleEngine(rules: [compiled])
    check(engine.run(Fuzz.sampleEnvironment), sources: sampleSources)

    // The rule's own examples, each as its own run as `tenantlint test-rules`
    // lints them (capped so that one input cannot make a run slow).
    for example in rule.examples.prefix(4) {
        let files = example.files.prefix(4).map { InputFile(path: $0.name, bytes: Array($0.text.utf8)) }
        // Two files of one example with the same name share no Source; judge
        // positions only when names are unique.
        let sources = Dictionary(files.map { ($0.path, Source(path: $0.path, bytes: $0.bytes)) },
                                 uniquingKeysWith: { a, _ in a })
        let findings = engine.run(Fuzz.environment(Fuzz.documents(Array(files))))
        check(findings, sources: sources.count == files.count ? sources : [:])
    }
    return 0
}

/// The input as a functions file (`functions:` with bodies and indexes):
/// every load error points inside it; each function it defines is called
/// with every sample document and with a string, and may only fail with a
/// message.
private func fuzzFunctionFile(_ bytes: [UInt8]) {
    let source = Source(path: "rules/functions.yaml", bytes: bytes)
    var library = Fuzz.pack.library
    let before = Set(library.functions.map(\.name))
    for e in FunctionFile.load(source, into: &library) {
        Fuzz.expect(e.file == source.path, "functions load error in another file: \(e)")
        Fuzz.expect(!e.message.isEmpty, "functions load error without a message at \(e.position)")
        Fuzz.checkPosition(e.position, in: source, "functions load error '\(e.message)'")
    }
    let added = library.functions.filter { $0.kind == .userDefined && !before.contains($0.name) }.prefix(4)
    guard !added.isEmpty else { return }
    let compiler = ExpressionCompiler(library: library)
    for f in added {
        for argument in ["doc", "'contoso.com'"] {
            let scope = Scope(["doc"])
            // A definition with another number of parameters does not compile here; that is fine.
            guard let call = try? compiler.compile("\(f.name)(\(argument))", scope: scope) else { continue }
            let activation = Activation(slotCount: scope.slotCount, environment: Fuzz.sampleEnvironment)
            for doc in Fuzz.sampleEnvironment.documents(ofKind: "Tenant").prefix(3) {
                activation.slots[0] = doc
                do {
                    _ = try call.evaluate(activation)
                } catch {
                    Fuzz.expect(!error.message.isEmpty, "\(f.name) failed without a message")
                }
            }
        }
    }
}

private func check(_ findings: [Finding], sources: [String: Source]) {
    for f in findings {
        Fuzz.expect(!f.message.isEmpty || f.check != .ruleError, "a rule error without a message")
        guard let s = sources[f.location.file] else { continue }
        Fuzz.checkRange(f.location.range, in: s, "\(f.code) '\(f.message)'")
    }
}

@_cdecl("FuzzRuleFile_main")
public func fuzzRuleFileMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv) { data, size in fuzzRuleFile(data, size) }
}
