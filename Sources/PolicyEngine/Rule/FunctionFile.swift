import YAMLSource

/// Reads a rule pack's `functions.yaml`: named expressions over parameters,
/// added to a `FunctionLibrary` in order.
public enum FunctionFile {
    public static func load(_ source: Source, into library: inout FunctionLibrary) -> [RuleLoadError] {
        let loaded = Loader().load(source)
        if let p = loaded.problems.first { return [RuleLoadError(p.message, file: source.path, position: p.range.start)] }
        guard let root = loaded.documents.first?.root, let list = root["functions"]?.sequence else {
            return [RuleLoadError("a functions file is a mapping with a 'functions' list", file: source.path,
                                  position: SourcePosition(line: 1, column: 1, offset: 0))]
        }
        var errors: [RuleLoadError] = []
        for item in list {
            for p in item.mapping ?? [] where !["name", "parameters", "body", "summary"].contains(p.key.text ?? "") {
                errors.append(RuleLoadError("unknown key '\(p.key.text ?? "")' in function; expected name, parameters, body, summary", at: p.key))
            }
            guard let name = item["name"]?.text, let bodyNode = item["body"], let body = bodyNode.text else {
                errors.append(RuleLoadError("a function needs 'name' and 'body'", at: item))
                continue
            }
            let parameters = item["parameters"]?.sequence?.compactMap(\.text) ?? []
            do {
                try library.define(name: name, parameters: parameters, body: body, summary: item["summary"]?.text ?? "")
            } catch {
                let position = ExpressionSource(text: body, node: bodyNode).position(ofCharacter: error.offset)
                errors.append(RuleLoadError(error.message, file: source.path, position: position))
            }
        }
        return errors
    }
}
