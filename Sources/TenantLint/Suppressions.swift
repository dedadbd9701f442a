import YAMLSource

/// Inline suppressions: comments of the form
/// `# tenantlint: disable-line CODE[, CODE...] [-- reason]` (a trailing comment),
/// `# tenantlint: disable-next-line ...` (the next line with content) and
/// `# tenantlint: disable-file ...` (anywhere in the file). Codes or names.
public struct Suppressions {
    enum Scope: Equatable {
        case line(Int)
        case file
    }

    struct Entry {
        let scope: Scope
        /// Codes the entry names (resolved from codes or names).
        let codes: [String]
        let reason: String
        let directive: CommentDirective
        var used: Set<String> = []
    }

    private var entries: [String: [Entry]] = [:]
    /// Problems with the comments themselves (unknown rules, bad syntax, no reason).
    private(set) var problems: [Finding] = []

    /// Reads the `# tenantlint:` directives of every file.
    init(directives: [String: [CommentDirective]], sources: [String: Source], catalog: RuleCatalog, requireReason: Bool) {
        for (file, list) in directives {
            for d in list where d.kind == .tenantlint {
                let location = Location(file: file, range: d.range)
                var text = d.text
                var reason = ""
                let chars = Array(text)
                if let i = chars.indices.dropLast().first(where: { chars[$0] == "-" && chars[$0 + 1] == "-" }) {
                    reason = String(chars[(i + 2)...]).trimmingBlanks()
                    text = String(chars[..<i])
                }
                let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).map(String.init)
                guard let verb = words.first else { continue }
                let scope: Scope
                switch verb {
                case "disable-line":
                    scope = .line(d.line)
                case "disable-next-line":
                    scope = .line(Self.nextContentLine(after: d.line, in: sources[file]))
                case "disable-file":
                    scope = .file
                default:
                    var m = "unknown tenantlint directive '\(verb)'; expected disable-line, disable-next-line or disable-file"
                    if let s = Suggestion.closest(to: verb, in: ["disable-line", "disable-next-line", "disable-file"]) {
                        m = "unknown tenantlint directive '\(verb)'; did you mean '\(s)'?"
                    }
                    problems.append(Finding(.unusedSuppression, message: m, location: location))
                    continue
                }
                var codes: [String] = []
                for word in words.dropFirst() {
                    if let rule = catalog.rule(word) {
                        codes.append(rule.code)
                    } else {
                        var m = "suppression names unknown rule '\(word)'"
                        if let s = catalog.suggestion(for: word) { m += "; did you mean '\(s)'?" }
                        problems.append(Finding(.unusedSuppression, message: m, location: location))
                    }
                }
                if words.count == 1 {
                    problems.append(Finding(.unusedSuppression,
                        message: "'\(verb)' names no rule; list the codes or names to suppress", location: location))
                    continue
                }
                if requireReason && reason.isEmpty {
                    problems.append(Finding(.suppressionWithoutReason,
                        message: "suppression of \(codes.joined(separator: ", ")) gives no reason; add '-- <why>'", location: location))
                }
                if !codes.isEmpty {
                    entries[file, default: []].append(Entry(scope: scope, codes: codes, reason: reason, directive: d))
                }
            }
        }
    }

    /// The line a `disable-next-line` on `line` applies to: the next one that
    /// is neither blank nor only a comment.
    static func nextContentLine(after line: Int, in source: Source?) -> Int {
        guard let source else { return line + 1 }
        var l = line + 1
        while l <= source.lineCount {
            let text = source.lineText(l).trimmingBlanks()
            if !text.isEmpty && !text.hasPrefix("#") { return l }
            l += 1
        }
        return line + 1
    }

    /// The suppression that hides a finding, if any (and marks it used).
    mutating func suppression(for f: Finding) -> Suppression? {
        guard var list = entries[f.location.file] else { return nil }
        defer { entries[f.location.file] = list }
        for i in list.indices where list[i].codes.contains(f.code) {
            let applies: Bool
            switch list[i].scope {
            case .file: applies = true
            case .line(let l): applies = f.location.range.start.line == l
            }
            if applies {
                list[i].used.insert(f.code)
                return Suppression(kind: .inSource, justification: list[i].reason)
            }
        }
        return nil
    }

    /// TL011 for every named code that suppressed nothing, except codes the
    /// configuration turned off for that file (their findings never exist).
    func unused(isOff: (String, String) -> Bool) -> [Finding] {
        var out: [Finding] = []
        for (file, list) in entries {
            for e in list {
                for code in e.codes where !e.used.contains(code) && !isOff(code, file) {
                    let what: String
                    switch e.scope {
                    case .file: what = "in this file"
                    case .line(let l): what = "on line \(l)"
                    }
                    out.append(Finding(.unusedSuppression, message: "suppression of \(code) matched no finding \(what)",
                                       location: Location(file: file, range: e.directive.range)))
                }
            }
        }
        return out
    }
}
