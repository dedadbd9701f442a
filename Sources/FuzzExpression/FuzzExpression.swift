import FuzzSupport
import TenantLint
import YAMLSource

/// Expression text (the input, decoded as UTF-8) compiled in a rule's scope
/// with the built-in function library, then evaluated with `doc` and `it`
/// bound to each sample document in turn. Compile errors must point inside
/// the text; evaluation may throw but must not crash or hang.
private let compiler = ExpressionCompiler(library: Fuzz.pack.library)
private let names = ["doc", "it", "first", "others"]
private let values = Fuzz.sampleEnvironment.documents(ofKind: "Tenant").prefix(2)
    + Fuzz.sampleEnvironment.documents(ofKind: "Collaboration").prefix(1)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzExpression(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let text = String(decoding: bytes, as: UTF8.self)
    let count = text.unicodeScalars.count
    let scope = Scope(names)
    let compiled: CompiledExpression
    do {
        compiled = try compiler.compile(text, scope: scope)
    } catch {
        Fuzz.expect(!error.message.isEmpty, "empty compile error message")
        Fuzz.expect(error.offset >= 0 && error.length >= 0 && error.offset + error.length <= count,
                    "compile error \(error.offset)+\(error.length) outside the text (\(count) scalars): \(error.message)")
        return 0
    }
    let activation = Activation(slotCount: scope.slotCount, environment: Fuzz.sampleEnvironment)
    for v in values {
        activation.slots[0] = v
        activation.slots[1] = v
        activation.slots[2] = values.first ?? .null
        activation.slots[3] = Value(.list(Array(values)))
        do {
            _ = try compiled.evaluate(activation)
        } catch {
            Fuzz.expect(!error.message.isEmpty, "empty evaluation error message")
        }
    }
    return 0
}

@_cdecl("FuzzExpression_main")
public func fuzzExpressionMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv) { data, size in fuzzExpression(data, size) }
}
