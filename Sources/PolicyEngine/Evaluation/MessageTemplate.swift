/// A message with `{{ expression }}` interpolations, compiled once.
struct MessageTemplate {
    enum Part {
        case text(String)
        case expression(CompiledExpression)
    }

    let parts: [Part]

    /// Splits the text and compiles each interpolation; errors point at the
    /// expression inside the rule file.
    static func compile(_ source: ExpressionSource, compiler: ExpressionCompiler, scope: Scope) throws(RuleLoadError) -> MessageTemplate {
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
        return MessageTemplate(parts: parts)
    }

    func render(_ activation: Activation) throws(EvaluationError) -> String {
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
