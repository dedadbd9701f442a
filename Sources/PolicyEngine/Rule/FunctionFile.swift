import YAMLSource

/// Reads a rule pack's `functions.yaml`: named expressions over parameters,
/// and indexed functions, added to a `FunctionLibrary` in order.
public enum FunctionFile {
    static let keys = ["name", "parameters", "body", "index", "summary"]

    public static func load(_ source: Source, into library: inout FunctionLibrary) -> [RuleLoadError] {
        load(Loader().load(source), into: &library)
    }

    /// Reads a functions file from its nodes (as `Loader` or `NodeTable` gives them).
    /// With `checkBodies` false (a file known to be right: the built-in one,
    /// for `lint`), a function's body is parsed and checked when a rule
    /// first calls it, not here (see `FunctionLibrary.define`).
    public static func load(_ loaded: LoadResult, into library: inout FunctionLibrary, checkBodies: Bool = true) -> [RuleLoadError] {
        let source = loaded.source
        if let p = loaded.problems.first { return [RuleLoadError(p.message, file: source.path, position: p.range.start)] }
        guard let root = loaded.documents.first?.root, let list = root["functions"]?.sequence else {
            return [RuleLoadError("a functions file is a mapping with a 'functions' list", file: source.path,
                                  position: SourcePosition(line: 1, column: 1, offset: 0))]
        }
        var errors: [RuleLoadError] = []
        for item in list {
            for p in item.mapping ?? [] where !keys.contains(p.key.text ?? "") {
                errors.append(RuleLoadError("unknown key '\(p.key.text ?? "")' in function; expected \(keys.joined(separator: ", "))", at: p.key))
            }
            guard let name = item["name"]?.text else {
                errors.append(RuleLoadError("a function needs 'name' and either 'body' or 'index'", at: item))
                continue
            }
            let parameters = item["parameters"]?.sequence?.compactMap(\.text) ?? []
            let summary = item["summary"]?.text ?? ""
            switch (item["body"], item["index"]) {
            case (let bodyNode?, nil):
                guard let body = bodyNode.text else {
                    errors.append(RuleLoadError("'body' is an expression (a string)", at: bodyNode))
                    continue
                }
                do {
                    try library.define(name: name, parameters: parameters, body: body, summary: summary, checked: checkBodies)
                } catch {
                    let position = ExpressionSource(text: body, node: bodyNode).position(ofCharacter: error.offset)
                    errors.append(RuleLoadError(error.message, file: source.path, position: position))
                }
            case (nil, let indexNode?):
                errors += defineIndexed(name, parameters, summary, indexNode, item, source, &library)
            case (_?, let indexNode?):
                errors.append(RuleLoadError("a function has either 'body' or 'index', not both", at: indexNode))
            case (nil, nil):
                errors.append(RuleLoadError("a function needs 'name' and either 'body' or 'index'", at: item))
            }
        }
        return errors
    }

    private static func defineIndexed(_ name: String, _ parameters: [String], _ summary: String, _ indexNode: Node,
                                      _ item: Node, _ source: Source, _ library: inout FunctionLibrary) -> [RuleLoadError] {
        var errors: [RuleLoadError] = []
        for p in indexNode.mapping ?? [] where !["over", "keys"].contains(p.key.text ?? "") {
            errors.append(RuleLoadError("unknown key '\(p.key.text ?? "")' in index; expected over, keys", at: p.key))
        }
        guard let overNode = indexNode["over"], let over = overNode.text,
              let keysNode = indexNode["keys"], let keys = keysNode.text else {
            return errors + [RuleLoadError("'index' is a mapping with 'over' (a list expression) and 'keys' (an expression over it)",
                                           at: indexNode)]
        }
        guard parameters.count == 1 else {
            return errors + [RuleLoadError("an indexed function has exactly one parameter (the keys to look up), not \(parameters.count)",
                                           at: item["parameters"] ?? item)]
        }
        do {
            try library.defineIndexed(name: name, parameter: parameters[0], over: over, keys: keys, summary: summary)
        } catch {
            switch error.part {
            case .signature:
                errors.append(RuleLoadError(error.error.message, at: item["name"] ?? item))
            case .over, .keys:
                let node = error.part == .over ? overNode : keysNode
                let text = error.part == .over ? over : keys
                let position = ExpressionSource(text: text, node: node).position(ofCharacter: error.error.offset)
                errors.append(RuleLoadError(error.error.message, file: source.path, position: position))
            }
        }
        return errors
    }
}
