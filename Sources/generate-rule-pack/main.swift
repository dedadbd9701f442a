// Regenerates the Swift files that compile rules/ into the binary:
//
// - Sources/TenantLint/Generated/BuiltinRulePack.swift: every file under
//   rules/ (rule files, the manifest and config schemas, functions.yaml),
//   each rule file without its `examples:` section. `lint` loads only this.
// - Sources/TenantLint/Generated/BuiltinRuleExamples.swift: the `examples:`
//   section of each rule file that has one, byte for byte; appended to the
//   file's text in the pack it gives the file as written (for `test-rules`,
//   `explain`, `rules`, docs/rules.md and the tests).
// - Sources/TenantLint/Generated/BuiltinRuleNodes.swift: each file of the
//   pack loaded as YAML (`NodeTable`), so that `lint` rebuilds the nodes of
//   the built-in files without parsing them. A file with a YAML problem is an error here.
// - Sources/TenantLint/Generated/BuiltinRuleTrees.swift: the parse tree of every
//   expression of the pack's rules and functions (`ExpressionTrees`), so that
//   compiling the built-in rules neither lexes nor parses. An expression that
//   does not parse is an error here.
// - Sources/TenantLint/Generated/BuiltinRuleCatalog.swift: each rule file's
//   catalog fields (code, name, severity, summary, rationale, references,
//   tags, kind, builtin), as the file reads them, so that `lint` has the
//   whole catalog without decoding or reading any rule file.
//
// A rule file's `examples:` must be its last top-level key, so that the
// pack's text is a prefix of the file and every line and column stays the
// same. The table of functions in docs/functions.md comes from
// `FunctionLibrary.standard.markdownTable`.
//
// Run through scripts/embed-rules (`--check` reports stale files, exit 1).
import Foundation
import PolicyEngine
import YAMLSource

/// The repository: this file's, or `--root DIR` (for the tests).
var root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
let packPath = "Sources/TenantLint/Generated/BuiltinRulePack.swift"
let examplesPath = "Sources/TenantLint/Generated/BuiltinRuleExamples.swift"
let nodesPath = "Sources/TenantLint/Generated/BuiltinRuleNodes.swift"
let treesPath = "Sources/TenantLint/Generated/BuiltinRuleTrees.swift"
let catalogPath = "Sources/TenantLint/Generated/BuiltinRuleCatalog.swift"
let functionsDocPath = "docs/functions.md"

struct Failure: Error { let message: String }

/// (path relative to the repository, text) of every file under rules/, sorted by path.
func ruleFiles(_ root: String) throws -> [(path: String, text: String)] {
    var out: [(path: String, text: String)] = []
    guard let walk = FileManager.default.enumerator(atPath: root + "/rules") else { throw Failure(message: "cannot read rules/") }
    while let rel = walk.nextObject() as? String {
        guard rel.hasSuffix(".yaml") || rel.hasSuffix(".yml") || rel.hasSuffix(".json") else { continue }
        let data = try Data(contentsOf: URL(fileURLWithPath: root + "/rules/" + rel))
        guard let text = String(data: data, encoding: .utf8) else { throw Failure(message: "rules/\(rel): not UTF-8") }
        out.append(("rules/" + rel, text))
    }
    return out.sorted { Array($0.path.utf8).lexicographicallyPrecedes(Array($1.path.utf8)) }
}

/// Whether a file of the pack is a rule file (`CODE-name.yaml`), as
/// `RulePack.isRuleFile` decides for the generated pack.
func isRuleFile(_ path: String) -> Bool {
    let name = path.split(separator: "/").last.map(String.init) ?? path
    return name.contains("-") && (name.hasSuffix(".yaml") || name.hasSuffix(".yml"))
}

/// A rule file of the pack, read; a file that does not load stops the
/// generator with the first error's position.
func loadRule(_ path: String, _ loaded: LoadResult) throws -> RuleFile {
    let (rule, errors) = RuleFileLoader.load(loaded)
    guard let rule, errors.isEmpty else {
        throw Failure(message: errors.first.map { "\($0.file):\($0.position.line):\($0.position.column): \($0.message)" }
            ?? "\(path): not a rule file")
    }
    return rule
}

/// A rule file (`CODE-name.yaml`) split before its top-level `examples:`
/// line; the second part is empty when there is none. The section runs to
/// the end: every later line is indented, a comment, blank or a `- ` item.
func split(_ path: String, _ text: String) throws -> (rule: String, examples: String) {
    guard isRuleFile(path) else { return (text, "") }
    if text.utf8.contains(0x0D) { throw Failure(message: "\(path): has a carriage return; rule files use \\n line ends") }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let all = lines.indices.filter { lines[$0] == "examples:" || lines[$0].hasPrefix("examples: ") }
    guard let start = all.first else { return (text, "") }
    if all.count > 1 { throw Failure(message: "\(path):\(all[1] + 1): a second top-level 'examples:'") }
    for i in (start + 1)..<lines.count {
        let l = lines[i]
        if l.isEmpty || l.hasPrefix(" ") || l.hasPrefix("#") || l == "-" || l.hasPrefix("- ") { continue }
        throw Failure(message: "\(path):\(i + 1): 'examples:' must be the last top-level key of a rule file (found '\(l.prefix(40))' after it)")
    }
    lines.removeSubrange(start...)
    let rule = lines.map { $0 + "\n" }.joined()
    return (rule, String(decoding: text.utf8.dropFirst(rule.utf8.count), as: UTF8.self))
}

/// `text` as a Swift raw multi-line string literal, byte-exact.
func literal(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    // A multi-line raw string literal drops the final line break before the
    // closing delimiter, so add one to keep the text byte-exact.
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

/// The first lines of a generated file: the notice, then `enum NAME {`, its
/// documentation lines and the opening of its table.
func header(_ name: String, doc: [String], declaration: String) -> [String] {
    ["// Generated by scripts/embed-rules (swift run generate-rule-pack) from rules/. Do not edit.",
     "// BuiltinRulePackTests fails when this file is stale.",
     "",
     "enum \(name) {"] + doc + ["    " + declaration]
}

func render(_ name: String, _ doc: String, _ entries: [(path: String, text: String)]) -> String {
    var parts = header(name, doc: [doc], declaration: "static let files: [(path: String, text: String)] = [")
    for e in entries { parts.append("        (\"\(e.path)\", \(literal(e.text))),") }
    parts += ["    ]", "}"]
    return parts.joined(separator: "\n") + "\n"
}

/// The node tables of the pack's files (`NodeTable`), as Swift: string
/// literals only, so the type checker has little to do.
func renderNodes(_ entries: [(path: String, text: String)]) throws -> String {
    var parts = header("BuiltinRuleNodes", doc: [
        "    /// (path, node table, texts) of every file of `BuiltinRulePack.files`, in the same",
        "    /// order: the file loaded as YAML, to rebuild with `NodeTable.decode` (no YAML parsing).",
    ], declaration: "static let files: [(path: String, table: StaticString, texts: StaticString)] = [")
    for e in entries {
        let loaded = Loader().load(Source(path: e.path, text: e.text))
        let encoded: (table: String, texts: String)
        do {
            encoded = try NodeTable.encode(loaded)
        } catch {
            throw Failure(message: error.description)
        }
        if encoded.texts.utf8.contains(0x0D) { throw Failure(message: "\(e.path): a scalar holds a carriage return") }
        parts.append("        (\"\(e.path)\", \(literal(encoded.table)), \(literal(encoded.texts))),")
    }
    parts += ["    ]", "}"]
    return parts.joined(separator: "\n") + "\n"
}

/// `text` as a Swift string literal (escaped, one line), byte-exact.
func quoted(_ text: String) -> String {
    var out = "\""
    for c in text.unicodeScalars {
        switch c {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if c.value < 0x20 || c.value == 0x7F {
                out += "\\u{" + String(c.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(c)
            }
        }
    }
    return out + "\""
}

/// The parse trees of every expression of the pack's rule files and
/// functions file (`ExpressionTrees.encode`), each text once, in file order.
func renderTrees(_ entries: [(path: String, text: String)]) throws -> String {
    var parts = header("BuiltinRuleTrees", doc: [
        "    /// (expression text, `ExpressionTrees.encode(text)`) of every expression the built-in rules",
        "    /// and functions compile (not message templates), each text once: compiling them parses nothing.",
    ], declaration: "static let entries: [(text: String, tree: StaticString)] = [")
    var seen = Set<String>()
    for e in entries {
        let loaded = Loader().load(Source(path: e.path, text: e.text))
        var texts: [String] = []
        if e.path == "rules/functions.yaml" {
            texts = ExpressionTrees.functionTexts(loaded)
        } else if isRuleFile(e.path) {
            texts = ExpressionTrees.texts(of: try loadRule(e.path, loaded))
        }
        for text in texts where seen.insert(text).inserted {
            do {
                parts.append("        (\(quoted(text)), \(quoted(try ExpressionTrees.encode(text)))),")
            } catch {
                throw Failure(message: "\(e.path): expression does not parse: \(error.message): \(text)")
            }
        }
    }
    parts += ["    ]", "}"]
    return parts.joined(separator: "\n") + "\n"
}

/// The catalog fields of every rule file of the pack (`RuleFileLoader`), in
/// file order, each with its index in the pack's files.
func renderCatalog(_ entries: [(path: String, text: String)]) throws -> String {
    var parts = header("BuiltinRuleCatalog", doc: [
        "    /// (index in `BuiltinRulePack.files`, code, name, severity, summary, rationale, references, tags,",
        "    /// kind, builtin) of every rule file of the pack, in file order, as `RuleFileLoader` reads them:",
        "    /// `lint`'s catalog, without reading the files (`RulePack.loadAll`).",
    ], declaration: "static let rules: [(file: Int, code: String, name: String, severity: String, summary: String, rationale: String, references: [String], tags: [String], kind: String?, builtin: Bool)] = [")
    for (i, e) in entries.enumerated() {
        guard isRuleFile(e.path) else { continue }
        let rule = try loadRule(e.path, Loader().load(Source(path: e.path, text: e.text)))
        func list(_ items: [String]) -> String { "[" + items.map(quoted).joined(separator: ", ") + "]" }
        let fields = ["\(i)", quoted(rule.code), quoted(rule.name), quoted(rule.severity.rawValue), quoted(rule.summary),
                      quoted(rule.rationale), list(rule.references), list(rule.tags), rule.kind.map(quoted) ?? "nil", "\(rule.builtin)"]
        parts.append("        (" + fields.joined(separator: ", ") + "),")
    }
    parts += ["    ]", "}"]
    return parts.joined(separator: "\n") + "\n"
}

/// docs/functions.md with its table of functions replaced by `table`: the
/// lines from `| function | call | description |` to the first blank line.
func functionsDoc(_ current: String, table: String) throws -> String {
    var lines = current.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let start = lines.firstIndex(of: "| function | call | description |") else {
        throw Failure(message: "\(functionsDocPath): no line '| function | call | description |'")
    }
    let end = lines[start...].firstIndex(of: "") ?? lines.count
    lines.replaceSubrange(start..<end, with: table.split(separator: "\n").map(String.init))
    return lines.joined(separator: "\n")
}

func run(check: Bool, root: String) throws -> Int32 {
    var pack: [(path: String, text: String)] = []
    var examples: [(path: String, text: String)] = []
    for f in try ruleFiles(root) {
        let (rule, ex) = try split(f.path, f.text)
        pack.append((f.path, rule))
        if !ex.isEmpty { examples.append((f.path, ex)) }
    }
    let functionsDocText = String(decoding: try Data(contentsOf: URL(fileURLWithPath: root + "/" + functionsDocPath)), as: UTF8.self)
    let outputs = [
        (packPath, render("BuiltinRulePack", """
                /// (path relative to the repository, contents) of every file under rules/, sorted by path;
                /// a rule file without its `examples:` section (see `BuiltinRuleExamples`).
            """, pack)),
        (examplesPath, render("BuiltinRuleExamples", """
                /// (path, `examples:` section) of every rule file under rules/ that has examples, sorted by
                /// path: the end of the file, after its text in `BuiltinRulePack.files`.
            """, examples)),
        (nodesPath, try renderNodes(pack)),
        (treesPath, try renderTrees(pack)),
        (catalogPath, try renderCatalog(pack)),
        (functionsDocPath, try functionsDoc(functionsDocText, table: FunctionLibrary.standard.markdownTable)),
    ]
    var stale = 0
    for (path, text) in outputs {
        let url = URL(fileURLWithPath: root + "/" + path)
        let current = (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) }
        if current == text { continue }
        if check {
            FileHandle.standardError.write(Data("\(path) is stale: run scripts/embed-rules\n".utf8))
            stale += 1
        } else {
            try Data(text.utf8).write(to: url, options: .atomic)
            print("wrote \(path)")
        }
    }
    return stale == 0 ? 0 : 1
}

var check = false
var args = CommandLine.arguments.dropFirst()
while let arg = args.popFirst() {
    if arg == "--check" {
        check = true
    } else if arg == "--root", let dir = args.popFirst() {
        root = dir
    } else {
        FileHandle.standardError.write(Data("generate-rule-pack: unknown argument '\(arg)'; usage: generate-rule-pack [--check] [--root DIR]\n".utf8))
        exit(2)
    }
}
do {
    exit(try run(check: check, root: root))
} catch let f as Failure {
    FileHandle.standardError.write(Data("generate-rule-pack: error: \(f.message)\n".utf8))
    exit(1)
} catch {
    FileHandle.standardError.write(Data("generate-rule-pack: error: \(error)\n".utf8))
    exit(1)
}
