import YAMLSource

/// A problem in a rule file (or other tenantlint input that is not a
/// manifest), reported as `file:line:col: message` with exit code 2.
public struct RuleLoadError: Error, Sendable, CustomStringConvertible, Equatable {
    public let message: String
    public let file: String
    public let position: SourcePosition

    public init(_ message: String, file: String, position: SourcePosition) {
        self.message = message
        self.file = file
        self.position = position
    }

    public init(_ message: String, at node: Node) {
        self.init(message, file: node.source.path, position: node.range.start)
    }

    public var description: String { "\(file):\(position.line):\(position.column): error: \(message)" }
}
