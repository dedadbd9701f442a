import YAMLSource

/// An expression as written in a rule file: its text and the YAML node that
/// holds it, so errors point into the rule file.
public struct ExpressionSource: Sendable {
    public let text: String
    public let node: Node

    /// The rule-file position of a character offset (in Unicode scalars) of
    /// the expression text. Exact for plain and quoted one-line scalars; for
    /// block scalars, counted by lines of the text below the indicator.
    public func position(ofCharacter offset: Int) -> SourcePosition {
        let start = node.range.start
        let style = node.scalar?.style ?? .plain
        switch style {
        case .plain, .singleQuoted, .doubleQuoted:
            let shift = style == .plain ? 0 : 1
            if !text.contains("\n") {
                return SourcePosition(line: start.line, column: start.column + shift + offset,
                                      offset: start.offset + shift + offset)
            }
            return start
        case .literal, .folded:
            // Block scalar content starts on the line after the indicator; its
            // indentation is that of the first non-empty content line.
            var line = 0, column = 0
            for (i, ch) in text.unicodeScalars.enumerated() {
                if i == offset { break }
                if ch == "\n" { line += 1; column = 0 } else { column += 1 }
            }
            let source = node.source
            var firstContent = start.line + 1
            while firstContent < source.lineCount && source.lineText(firstContent).allSatisfy({ $0 == " " }) { firstContent += 1 }
            let indent = source.lineText(firstContent).prefix(while: { $0 == " " }).count
            let contentLine = start.line + 1 + line
            let lineStart = source.lineStarts.indices.contains(contentLine - 1) ? source.lineStarts[contentLine - 1] : 0
            return SourcePosition(line: contentLine, column: indent + 1 + column, offset: lineStart + indent + column)
        }
    }
}

/// One example of a rule: one or more files of manifest YAML. A line with
/// `# expect: TLnnn` must have a finding of that rule starting on it; an
/// example without markers must produce no finding of the rule.
public struct RuleExample: Sendable {
    public struct File: Sendable {
        public let name: String
        public let text: String
        /// The node holding the text in the rule file (for positions).
        public let node: Node
    }

    public let name: String
    public let files: [File]
    public let node: Node
    /// The date the example is judged on (`today:`), when it matters.
    public let today: Int?
}

/// `aggregate:` — group the selected nodes of all documents of the kind by a
/// key and report every member past `max`, related to the first. `max` is a
/// number or an expression evaluated once per group (with `group`, `groupDocs`).
public struct AggregateSpec: Sendable {
    public let groupBy: ExpressionSource
    public let max: ExpressionSource
}

/// One way a rule can fire: what to select, what must hold, where to report,
/// and what to say. A rule has one check (written at the top level) or
/// several (`checks:`), all reported under the rule's code.
public struct RuleCheck: Sendable {
    public let each: ExpressionSource?
    public let when: ExpressionSource?
    public let assert: ExpressionSource?
    public let aggregate: AggregateSpec?
    public let at: ExpressionSource?
    public let related: [RelatedSpec]
    public let message: ExpressionSource?
    /// A severity for this check's findings only (`checks:` items), else the rule's.
    public let severity: Severity?
    /// The check's mapping (or the rule's root), for errors.
    public let node: Node
}

/// A related position of a finding: where, and the note to show.
public struct RelatedSpec: Sendable {
    public let at: ExpressionSource
    public let message: ExpressionSource?
}

/// Everything one rule file says, as loaded and checked for shape. The
/// expressions are compiled separately (`CompiledRule`).
public struct RuleFile: Sendable {
    public let path: String
    public let code: String
    public let name: String
    public let severity: Severity
    public let summary: String
    public let rationale: String
    public let references: [String]
    /// The document kind the rule judges (`Tenant`, `Collaboration`), or nil
    /// for an engine built-in (TL0xx) whose logic lives in the engine.
    public let kind: String?
    public let builtin: Bool
    public let variables: [(name: String, expression: ExpressionSource)]
    /// What the rule checks; empty for builtin rules.
    public let checks: [RuleCheck]
    public let examples: [RuleExample]
    /// The `code:` value node, for errors about the rule as a whole.
    public let codeNode: Node
    public let nameNode: Node
}
