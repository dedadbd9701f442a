import YAMLSource

/// A rule file with every expression compiled once, ready to evaluate.
public final class CompiledRule: @unchecked Sendable {
    /// Names every rule expression may use besides the rule's variables.
    /// `first`, `firstDoc`, `group`, `groupDocs` and `others` are bound for
    /// aggregate findings (null elsewhere).
    static let fixedNames = ["doc", "it", "first", "firstDoc", "group", "groupDocs", "others"]

    public let file: RuleFile
    let scope: Scope
    let slots: Slots
    /// Variables that do not depend on `it`, evaluated once per document.
    let documentVariables: [(slot: Int, expression: CompiledExpression)]
    /// Variables that depend on `it`, evaluated for each selected node.
    let itemVariables: [(slot: Int, expression: CompiledExpression)]
    let checks: [CompiledCheck]

    struct Slots {
        let doc, it, first, firstDoc, group, groupDocs, others: Int
    }

    struct CompiledCheck {
        let each: CompiledExpression?
        let when: CompiledExpression?
        let assert: CompiledExpression?
        let groupBy: CompiledExpression?
        let max: CompiledExpression?
        let at: CompiledExpression?
        let related: [(at: CompiledExpression, message: MessageTemplate?, text: String)]
        let message: MessageTemplate
        let source: RuleCheck
    }

    /// Compiles a rule; every expression error becomes a load error at its
    /// position in the rule file.
    public static func compile(_ file: RuleFile, library: FunctionLibrary) -> (CompiledRule?, [RuleLoadError]) {
        guard !file.builtin, !file.checks.isEmpty else { return (nil, []) }
        let compiler = ExpressionCompiler(library: library)
        let scope = Scope(fixedNames + file.variables.map(\.name))
        var errors: [RuleLoadError] = []

        func compile(_ source: ExpressionSource?) -> CompiledExpression? {
            guard let source else { return nil }
            do {
                return try compiler.compile(source.text, scope: scope)
            } catch {
                errors.append(RuleLoadError(error.message, file: source.node.source.path,
                                            position: source.position(ofCharacter: error.offset)))
                return nil
            }
        }

        func template(_ source: ExpressionSource?) -> MessageTemplate? {
            guard let source else { return nil }
            do {
                return try MessageTemplate.compile(source, compiler: compiler, scope: scope)
            } catch {
                errors.append(error)
                return nil
            }
        }

        // A variable is per-document when it compiles with only `doc` and the
        // per-document variables before it in sight.
        var documentVariables: [(Int, CompiledExpression)] = []
        var itemVariables: [(Int, CompiledExpression)] = []
        var documentNames = ["doc"]
        for (name, source) in file.variables {
            let dependsOnItem = (try? compiler.compile(source.text, scope: Scope(documentNames))) == nil
            guard let compiled = compile(source), let slot = scope.slot(of: name) else { continue }
            if dependsOnItem {
                itemVariables.append((slot, compiled))
            } else {
                documentVariables.append((slot, compiled))
                documentNames.append(name)
            }
        }
        var checks: [CompiledCheck] = []
        for c in file.checks {
            let compiled = CompiledCheck(
                each: compile(c.each), when: compile(c.when), assert: compile(c.assert),
                groupBy: compile(c.aggregate?.groupBy), max: compile(c.aggregate?.max), at: compile(c.at),
                related: c.related.compactMap { r in compile(r.at).map { ($0, template(r.message), r.at.text) } },
                message: template(c.message) ?? MessageTemplate(parts: []), source: c)
            checks.append(compiled)
        }
        guard errors.isEmpty else { return (nil, errors) }
        return (CompiledRule(file: file, scope: scope, documentVariables: documentVariables,
                             itemVariables: itemVariables, checks: checks), [])
    }

    private init(file: RuleFile, scope: Scope, documentVariables: [(Int, CompiledExpression)],
                 itemVariables: [(Int, CompiledExpression)], checks: [CompiledCheck]) {
        self.file = file
        self.scope = scope
        func slot(_ n: String) -> Int { scope.slot(of: n) ?? 0 }
        self.slots = Slots(doc: slot("doc"), it: slot("it"), first: slot("first"), firstDoc: slot("firstDoc"),
                           group: slot("group"), groupDocs: slot("groupDocs"), others: slot("others"))
        self.documentVariables = documentVariables.map { (slot: $0.0, expression: $0.1) }
        self.itemVariables = itemVariables.map { (slot: $0.0, expression: $0.1) }
        self.checks = checks
    }
}
