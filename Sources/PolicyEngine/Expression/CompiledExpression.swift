/// The code of one compiled expression.
typealias Eval = (Activation) throws(EvaluationError) -> Value

/// An expression compiled once into closures: identifiers resolved to slot
/// indices, functions to their code, macro variables to fresh slots. Safe to
/// evaluate from several threads with one `Activation` per thread.
public final class CompiledExpression: @unchecked Sendable {
    /// The source text.
    public let text: String
    /// The kinds of value the expression may produce (e.g. to require that
    /// an `assert` can be a bool).
    public let resultType: ValueTypes
    /// The slots an activation needs (the scope's count when compiled).
    public let slotCount: Int
    /// The value, when it is known without evaluating (a literal).
    public let constantValue: Value?
    /// True when the expression may read documents other than the one it
    /// judges: it calls `documents()`, `document()` or an indexed function,
    /// itself or through a user-defined function (see `DocumentRuleCache`).
    public let readsDocuments: Bool
    private let run: Eval

    init(text: String, run: @escaping Eval, resultType: ValueTypes, slotCount: Int, constantValue: Value?,
         readsDocuments: Bool = false) {
        self.text = text
        self.run = run
        self.resultType = resultType
        self.slotCount = slotCount
        self.constantValue = constantValue
        self.readsDocuments = readsDocuments
    }

    /// Evaluates with the values in `activation`'s slots.
    public func evaluate(_ activation: Activation) throws(EvaluationError) -> Value {
        guard activation.slots.count >= slotCount else {
            throw EvaluationError(message: "the activation has \(activation.slots.count) slots but '\(text)' needs \(slotCount)")
        }
        return try run(activation)
    }
}

/// What a compiled body of a user-defined function needs at a call site.
struct CompiledBody {
    let parameterSlots: [Int]
    let compiled: Compiled
    /// The body reads other documents (see `CompiledExpression.readsDocuments`).
    var readsDocuments = false
}
