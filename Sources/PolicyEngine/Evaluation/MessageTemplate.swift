import YAMLSource

/// A message with `{{ expression }}` interpolations, compiled once: with
/// its rule, or (`deferred`) the first time it is rendered. A clean run
/// renders no message, so rules compiled on first use (the built-in ones
/// at `lint`) leave their messages, fix titles and related messages
/// uncompiled until a finding needs one.
final class MessageTemplate: @unchecked Sendable {
    enum Part {
        case text(String)
        case expression(CompiledExpression)
    }

    /// What a deferred template compiles from: the rule's scope (its
    /// interpolations get new slots past the rule's, which `render` adds to
    /// the activation) and the rule's lock, held while compiling into it.
    private struct Deferred {
        let source: ExpressionSource
        let compiler: ExpressionCompiler
        let scope: Scope
        let lock: Lock
    }

    private var compiledParts: [Part]?
    private let deferred: Deferred?

    init(parts: [Part]) {
        self.compiledParts = parts
        self.deferred = nil
    }

    private init(deferred: Deferred) {
        self.compiledParts = nil
        self.deferred = deferred
    }

    /// A template compiled when first rendered. For rules known to compile
    /// (the built-in ones): an error then is a programming error.
    static func deferred(_ source: ExpressionSource, compiler: ExpressionCompiler, scope: Scope, lock: Lock) -> MessageTemplate {
        MessageTemplate(deferred: Deferred(source: source, compiler: compiler, scope: scope, lock: lock))
    }

    /// Splits the text and compiles each interpolation; errors point at the
    /// expression inside the rule file.
    static func compile(_ source: ExpressionSource, compiler: ExpressionCompiler, scope: Scope) throws(RuleLoadError) -> MessageTemplate {
        MessageTemplate(parts: try parts(source, compiler: compiler, scope: scope))
    }

    private static func parts(_ source: ExpressionSource, compiler: ExpressionCompiler, scope: Scope) throws(RuleLoadError) -> [Part] {
        let scalars = Array(source.text.unicodeScalars)
        var parts: [Part] = []
        var literalStart = 0
        var i = 0
        func flush() {
            if literalStart < i { parts.append(.text(String(scalars: scalars[literalStart..<i]))) }
        }
        while i < scalars.count {
            if scalars[i] == "{" && i + 1 < scalars.count && scalars[i + 1] == "{" {
                var j = i + 2
                while j + 1 < scalars.count && !(scalars[j] == "}" && scalars[j + 1] == "}") { j += 1 }
                guard j + 1 < scalars.count else {
                    throw RuleLoadError("'{{' without a closing '}}' in message", file: source.node.source.path,
                                        position: source.position(ofCharacter: i))
                }
                let text = String(scalars: scalars[(i + 2)..<j])
                let compiled: CompiledExpression
                do {
                    compiled = try compiler.compile(text, scope: scope)
                } catch {
                    throw RuleLoadError(error.message, file: source.node.source.path,
                                        position: source.position(ofCharacter: i + 2 + error.offset))
                }
                flush()
                parts.append(.expression(compiled))
                i = j + 2
                literalStart = i
            } else {
                i += 1
            }
        }
        flush()
        return parts
    }

    /// The compiled parts (a deferred template is compiled on first use).
    var parts: [Part] { resolved().parts }

    /// The parts, and for a deferred template the slots an activation needs
    /// to evaluate them (its rule's, and those its interpolations added).
    private func resolved() -> (parts: [Part], slots: Int?) {
        guard let deferred else { return (compiledParts ?? [], nil) }
        return deferred.lock.withLock { () -> ([Part], Int?) in
            if compiledParts == nil {
                do {
                    compiledParts = try Self.parts(deferred.source, compiler: deferred.compiler, scope: deferred.scope)
                } catch {
                    preconditionFailure("a message of a built-in rule does not compile: \(error)")
                }
            }
            return (compiledParts ?? [], deferred.scope.slotCount)
        }
    }

    /// The compiled parts, with `activation` given the slots they use.
    private func resolvedParts(_ activation: Activation) -> [Part] {
        let (parts, slots) = resolved()
        if let slots { activation.ensureSlots(slots) }
        return parts
    }

    func render(_ activation: Activation) throws(EvaluationError) -> String {
        let parts = resolvedParts(activation)
        var out = ""
        for part in parts {
            switch part {
            case .text(let t): out += t
            case .expression(let e): out += SchemaValidator.clip(try e.evaluate(activation).display)
            }
        }
        return out
    }
}
