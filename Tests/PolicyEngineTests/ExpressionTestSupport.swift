@testable import PolicyEngine
import YAMLSource

/// A fixed environment: documents by kind, named by `metadata.name`; today
/// is 2025-06-01.
final class TestEnvironment: EvaluationEnvironment {
    var documentsByKind: [String: [Value]] = [:]
    var today: Int = DateValue.days(year: 2025, month: 6, day: 1)

    func documents(ofKind kind: String) -> [Value] { documentsByKind[kind] ?? [] }

    func document(ofKind kind: String, named name: String) -> Value? {
        documentsByKind[kind]?.first { doc in
            doc.mapValue?.member("metadata").mapValue?.member("name").stringValue == name
        }
    }
}

enum Harness {
    /// Parses YAML into a value without a schema.
    static func yaml(_ text: String) -> Value {
        let result = Loader().load(Source(path: "test.yaml", text: text))
        guard let root = result.documents.first?.root else { return .null }
        return Value.from(root, schemas: [], anchor: nil, context: SchemaContext(validator: nil))
    }

    /// Compiles and evaluates `text` with `vars` bound by name.
    static func evaluate(_ text: String, _ vars: [String: Value] = [:], library: FunctionLibrary = .standard,
                         environment: TestEnvironment = TestEnvironment()) throws -> Value {
        let names = vars.keys.sorted()
        let scope = Scope(names)
        let compiled = try ExpressionCompiler(library: library).compile(text, scope: scope)
        let activation = Activation(slotCount: scope.slotCount, environment: environment)
        for (i, n) in names.enumerated() { activation.slots[i] = vars[n] ?? .null }
        return try compiled.evaluate(activation)
    }

    /// The result rendered (see `repr`), or `error: <message>` for a run-time
    /// error, or `compile error <offset>+<length>: <message>`.
    static func run(_ text: String, _ vars: [String: Value] = [:], library: FunctionLibrary = .standard,
                    environment: TestEnvironment = TestEnvironment()) -> String {
        do {
            return repr(try evaluate(text, vars, library: library, environment: environment))
        } catch let e as ExpressionError {
            return "compile error \(e.offset)+\(e.length): \(e.message)"
        } catch let e as EvaluationError {
            return "error: \(e.message)"
        } catch {
            return "unexpected: \(error)"
        }
    }

    /// The compile error for `text` in a scope of `names`, or nil.
    static func compileError(_ text: String, names: [String] = ["doc", "it"],
                             library: FunctionLibrary = .standard) -> ExpressionError? {
        do {
            _ = try ExpressionCompiler(library: library).compile(text, scope: Scope(names))
            return nil
        } catch {
            return error
        }
    }

    /// The parsed tree, fully parenthesized.
    static func parse(_ text: String) -> String {
        do {
            return try ExpressionCompiler.parse(text).description
        } catch {
            return "error \(error.offset)+\(error.length): \(error.message)"
        }
    }

    /// CEL-like rendering: strings quoted, dates as `date(…)`.
    static func repr(_ v: Value) -> String {
        switch v.kind {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .string(let s): return "\"\(s)\""
        case .date(let d): return "date(\(DateValue.format(d)))"
        case .list(let l): return "[" + l.map(repr).joined(separator: ", ") + "]"
        case .map(let m):
            if m.isAbsent { return "null" }
            return "{" + m.keys.map { "\"\($0)\": \(repr(m.member($0)))" }.joined(separator: ", ") + "}"
        }
    }

    /// `line:column` of a node's start, or `-`.
    static func position(_ node: Node?) -> String {
        guard let node else { return "-" }
        return "\(node.range.start.line):\(node.range.start.column)"
    }
}
