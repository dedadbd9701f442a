import YAMLSource

/// A problem found while compiling an expression: a syntax error, an unknown
/// identifier or function, a wrong number of arguments, or a type error that
/// is certain from literals and function result types.
///
/// `offset` and `length` count Unicode scalars from the start of the
/// expression text (for a user-defined function, of its body), so the caller
/// can map them into the rule file.
public struct ExpressionError: Error, Equatable, CustomStringConvertible {
    /// Lowercase, no trailing period, e.g.
    /// `unknown function 'lowerAscii2'; did you mean 'lowerAscii'?`.
    public let message: String
    public let offset: Int
    public let length: Int

    public init(message: String, offset: Int, length: Int) {
        self.message = message
        self.offset = offset
        self.length = length
    }

    public var description: String { "\(offset): \(message)" }
}

/// A problem found while evaluating a compiled expression: a type error on
/// manifest data, an integer overflow, a division by zero, an index out of
/// range, an invalid date or regular expression built at run time.
public struct EvaluationError: Error, CustomStringConvertible {
    /// Lowercase, no trailing period, e.g. `'<' cannot compare string and int`.
    public let message: String
    /// The manifest node of an offending operand when known.
    public let node: Node?

    public init(message: String, node: Node? = nil) {
        self.message = message
        self.node = node
    }

    public var description: String { message }
}
