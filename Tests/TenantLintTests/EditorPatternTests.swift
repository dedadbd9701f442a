import Foundation
import Testing
@testable import TenantLint
import YAMLSource

/// The text format against the patterns that CI systems and editors read it
/// with (docs/integrations.md): the problem matcher in
/// .github/tenantlint-matcher.json (GitHub Actions, and the VS Code task),
/// the Vim `errorformat` and the Emacs entry exactly as the docs print them,
/// and Emacs' built-in `gnu` compilation regexp. Each finding line must yield
/// its exact file, line, column, severity, message and code; snippet lines,
/// `note:` lines (for the matcher) and the summary must not become problems.
@Suite struct EditorPatternTests {
    /// One error with a related note (TL002), one info (TL405), one warning (TL007).
    static let manifest = """
        apiVersion: tenantlint/v1
        kind: Tenant
        metadata:
          name: contoso
          displayName: Contoso
          displayName: Contoso Ltd
        spec:
          sharePoint: {sharingCapability: ExistingExternalUserSharingOnly, oneDriveSharingCapability: ExistingExternalUserSharingOnly, defaultLinkPermission: View}
          externalAccess:
            allowedDomains: AllowAllKnownDomains
            allowPublicUsers: false

        """

    /// Paths as tenantlint prints them: nested, bare (which could pass for a
    /// `program:` prefix in Emacs' gnu regexp), with a space, with a colon.
    static let paths = ["manifests/contoso.yaml", "contoso.yaml", "tenant files/contoso.yaml", "a:b/contoso.yaml"]

    struct Rendered {
        let result: LintResult
        let lines: [String]
    }

    static func render(_ path: String) -> Rendered {
        let result = lint(manifest, path: path)
        let text = TextReporter().render(result, context: ReportContext(
            toolVersion: "0.1.0", snippets: true, catalog: builtinPack.catalog))
        var lines = text.components(separatedBy: "\n")
        #expect(lines.last == "")
        lines.removeLast()
        return Rendered(result: result, lines: lines)
    }

    /// What each finding line must yield, from the findings themselves.
    struct Expected: Equatable, CustomStringConvertible {
        var file: String, line: String, column: String, severity: String, message: String, code: String
        var description: String { "\(file):\(line):\(column) \(severity) \(code) \(message)" }
    }

    static func expected(_ r: Rendered) -> [Expected] {
        r.result.findings.map {
            Expected(file: $0.location.file, line: String($0.location.range.start.line),
                     column: String($0.location.range.start.column), severity: $0.severity.rawValue,
                     message: $0.message, code: $0.code)
        }
    }

    static let docs: String = {
        (try? String(contentsOfFile: repoRoot + "/docs/integrations.md", encoding: .utf8)) ?? ""
    }()

    // MARK: the fixture

    @Test(arguments: paths) func theTextReporterPrintsWhatThePatternsExpect(path: String) {
        let r = Self.render(path)
        #expect(r.lines[0] == "\(path):6:3: error: duplicate key 'displayName' [TL002 duplicate-key]")
        #expect(r.lines[1] == "   6 |   displayName: Contoso Ltd")
        #expect(r.lines[2] == "     |   ^~~~~~~~~~~")
        #expect(r.lines[3] == "\(path):5:3: note: first defined here")
        #expect(r.lines[4] == "   5 |   displayName: Contoso")
        #expect(r.lines[5] == "     |   ^~~~~~~~~~~")
        #expect(r.lines.last == "1 error, 1 warning, 1 info in 1 file")
        #expect(r.result.findings.map(\.code) == ["TL002", "TL405", "TL007"])
        #expect(r.result.findings.map(\.severity) == [.error, .info, .warning])
        #expect(r.lines.count == 13)
    }

    // MARK: (a) the problem matcher: GitHub Actions and the VS Code task

    struct ProblemMatcher {
        let owner: String
        let defaultSeverity: String
        let regexp: String
        let regex: NSRegularExpression
        let file: Int, line: Int, column: Int, severity: Int, message: Int, code: Int

        static func load() throws -> ProblemMatcher {
            let data = try Data(contentsOf: URL(fileURLWithPath: repoRoot + "/.github/tenantlint-matcher.json"))
            let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let matchers = try #require(root["problemMatcher"] as? [[String: Any]])
            #expect(matchers.count == 1)
            let m = try #require(matchers.first)
            let patterns = try #require(m["pattern"] as? [[String: Any]])
            #expect(patterns.count == 1)
            let p = try #require(patterns.first)
            let regexp = try #require(p["regexp"] as? String)
            func index(_ key: String) throws -> Int { try #require(p[key] as? Int) }
            return ProblemMatcher(
                owner: try #require(m["owner"] as? String),
                defaultSeverity: (m["severity"] as? String) ?? "",
                regexp: regexp,
                regex: try NSRegularExpression(pattern: regexp),
                file: try index("file"), line: try index("line"), column: try index("column"),
                severity: try index("severity"), message: try index("message"), code: try index("code"))
        }

        /// The groups of a match, as the Actions runner reads them: an empty
        /// severity takes the matcher's default (`notice`).
        func match(_ text: String) -> Expected? {
            guard let m = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
            func group(_ i: Int) -> String {
                guard let r = Range(m.range(at: i), in: text) else { return "" }
                return String(text[r])
            }
            let captured = group(self.severity)
            return Expected(file: group(self.file), line: group(self.line), column: group(self.column),
                            severity: captured.isEmpty ? defaultSeverity : captured,
                            message: group(self.message), code: group(self.code))
        }
    }

    @Test func theMatcherFileIsWhatTheRunnerAccepts() throws {
        let m = try ProblemMatcher.load()
        #expect(m.owner == "tenantlint")
        // The runner accepts only these default severities, and no `info`.
        #expect(m.defaultSeverity == "notice")
        #expect([m.file, m.line, m.column, m.severity, m.message, m.code] as [Int] == [1, 2, 3, 4, 5, 6])
        #expect(m.regex.numberOfCaptureGroups == 6)
    }

    @Test(arguments: paths) func theProblemMatcherReadsEveryFindingLine(path: String) throws {
        let m = try ProblemMatcher.load()
        let r = Self.render(path)
        let matched = r.lines.compactMap(m.match)
        // GitHub has no `info`: infos become notices through the default severity.
        let want = Self.expected(r).map { e -> Expected in
            var e = e
            if e.severity == "info" { e.severity = "notice" }
            return e
        }
        #expect(matched == want)
        #expect(m.match(r.lines[0]) == Expected(
            file: path, line: "6", column: "3", severity: "error",
            message: "duplicate key 'displayName'", code: "TL002"))
    }

    @Test(arguments: paths) func snippetsNotesAndTheSummaryAreNotProblems(path: String) throws {
        let m = try ProblemMatcher.load()
        let r = Self.render(path)
        let findingLines = Set(r.result.findings.map {
            "\($0.location.file):\($0.location.range.start.line):\($0.location.range.start.column): \($0.severity.rawValue): "
        })
        for line in r.lines where !findingLines.contains(where: { line.hasPrefix($0) }) {
            #expect(m.match(line) == nil, "matched: \(line)")
        }
        #expect(m.match("1 error, 1 warning, 1 info in 1 file") == nil)
        #expect(m.match("tenantlint: error: manifests/missing.yaml: no such file or directory") == nil)
    }

    @Test func theMatcherTakesRuleFileErrorsAndMessagesWithBrackets() throws {
        let m = try ProblemMatcher.load()
        // Rule and configuration file errors have no [CODE name] tag.
        #expect(m.match("policies/ACME001.yaml:3:7: error: unknown key 'sevrity'") == Expected(
            file: "policies/ACME001.yaml", line: "3", column: "7", severity: "error",
            message: "unknown key 'sevrity'", code: ""))
        // Only the tag at the end of the line is the code; a user rule's name may be absent.
        #expect(m.match("t.yaml:1:2: warning: lists [a] and [B1] differ [ACME001]") == Expected(
            file: "t.yaml", line: "1", column: "2", severity: "warning",
            message: "lists [a] and [B1] differ", code: "ACME001"))
    }

    @Test func theVSCodeTaskUsesTheMatcherRegexp() throws {
        let m = try ProblemMatcher.load()
        let jsonEscaped = m.regexp.replacingOccurrences(of: "\\", with: "\\\\")
        #expect(Self.docs.contains("\"regexp\": \"\(jsonEscaped)\""))
        #expect(Self.docs.contains("\"file\": 1, \"line\": 2, \"column\": 3, \"severity\": 4, \"message\": 5, \"code\": 6"))
        // VS Code knows `info`; the matcher's default gives it to info lines.
        #expect(Self.docs.contains("\"severity\": \"info\","))
    }

    // MARK: (b) Vim's errorformat, as printed in docs/integrations.md

    /// A Vim 'errorformat' turned into regular expressions the way Vim's
    /// quickfix.c does (efm_to_regpat): `^…$`; `%f` before a literal is
    /// `.\{-1,}` (lazy), `%l` and `%c` `\d\+`, `%t` one character, `%m` `.\+`;
    /// `%.` and `%#` are the regexp's `.` and `*`; a `%-` prefix drops the line.
    struct ErrorFormat {
        enum Result: Equatable {
            case entry(type: Character, file: String, line: String, column: String, message: String)
            case message(type: Character, text: String)  // an entry without a position
            case ignored
            case unmatched
        }
        struct Part {
            let regex: NSRegularExpression
            let ignore: Bool
            let fields: [Character]  // the %-letters, in group order
        }
        let parts: [Part]

        /// `value` as written after `CompilerSet errorformat=` (`:set` escapes).
        init(setValue value: String) throws {
            // `:set` unescaping: `\ ` is a space, `\\` a backslash.
            var option = ""
            var it = value.makeIterator()
            while let c = it.next() {
                if c == "\\", let n = it.next() {
                    if n != " " && n != "\\" { option.append("\\") }
                    option.append(n)
                } else {
                    option.append(c)
                }
            }
            // Parts are separated by commas not escaped with a backslash.
            var rawParts: [String] = [], current = ""
            var escaped = false
            for c in option {
                if escaped { current.append(c); escaped = false; continue }
                if c == "\\" { current.append(c); escaped = true; continue }
                if c == "," { rawParts.append(current); current = ""; continue }
                current.append(c)
            }
            rawParts.append(current)
            parts = try rawParts.map(Self.compile)
        }

        static func compile(_ efm: String) throws -> Part {
            let chars = Array(efm)
            var pattern = "^", fields: [Character] = [], ignore = false
            var i = 0
            func literal(_ c: Character) -> String { NSRegularExpression.escapedPattern(for: String(c)) }
            while i < chars.count {
                let c = chars[i]
                if c == "%", i + 1 < chars.count {
                    let k = chars[i + 1]
                    i += 2
                    switch k {
                    case "f":
                        let next: Character? = i < chars.count ? chars[i] : nil
                        guard let next, next != "\\", next != "%" else { throw EFMError.unsupported(efm) }
                        pattern += "(.+?)"; fields.append("f")
                    case "l", "c": pattern += "([0-9]+)"; fields.append(k)
                    case "t": pattern += "(.)"; fields.append("t")
                    case "m": pattern += "(.+)"; fields.append("m")
                    case ".": pattern += "."
                    case "#": pattern += "*"
                    case "%": pattern += "%"
                    case "-" where i - 2 == 0:
                        // A prefix: `%-G` ignores the matching line.
                        guard i < chars.count, chars[i] == "G" else { throw EFMError.unsupported(efm) }
                        ignore = true; i += 1
                    default: throw EFMError.unsupported(efm)
                    }
                } else if c == "\\", i + 1 < chars.count {
                    pattern += literal(chars[i + 1]); i += 2
                } else {
                    pattern += literal(c); i += 1
                }
            }
            return Part(regex: try NSRegularExpression(pattern: pattern + "$"), ignore: ignore, fields: fields)
        }

        enum EFMError: Error { case unsupported(String) }

        /// Vim uses the first part that matches a line.
        func parse(_ line: String) -> Result {
            for part in parts {
                guard let m = part.regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) else { continue }
                if part.ignore { return .ignored }
                var values: [Character: String] = [:]
                for (n, field) in part.fields.enumerated() {
                    if let r = Range(m.range(at: n + 1), in: line) { values[field] = String(line[r]) }
                }
                let type = values["t"]?.first ?? " "
                guard let file = values["f"] else { return .message(type: type, text: values["m"] ?? "") }
                return .entry(type: type, file: file, line: values["l"] ?? "", column: values["c"] ?? "", message: values["m"] ?? "")
            }
            return .unmatched
        }
    }

    static func vimErrorFormat() throws -> ErrorFormat {
        let prefix = "CompilerSet errorformat="
        let lines = docs.components(separatedBy: "\n").filter { $0.hasPrefix(prefix) }
        #expect(lines.count == 1)
        return try ErrorFormat(setValue: String(try #require(lines.first).dropFirst(prefix.count)))
    }

    @Test func theDocsPrintTheVimErrorformatThisTestReads() throws {
        #expect(Self.docs.contains(#"CompilerSet errorformat=%f:%l:%c:\ %trror:\ %m,%f:%l:%c:\ %tarning:\ %m,%f:%l:%c:\ %tnfo:\ %m,%f:%l:%c:\ %tote:\ %m,tenantlint:\ %trror:\ %m,%-G%.%#"#))
        #expect(Self.docs.contains(#"CompilerSet makeprg=tenantlint\ lint\ --no-snippet\ --color\ never"#))
        #expect(try Self.vimErrorFormat().parts.count == 6)
    }

    @Test(arguments: paths) func vimReadsFindingsAndNotesAndDropsTheRest(path: String) throws {
        let efm = try Self.vimErrorFormat()
        let r = Self.render(path)
        let results = r.lines.map(efm.parse)
        // Every line is either an entry or dropped by %-G: nothing becomes an
        // invalid (text-only) quickfix entry.
        #expect(!results.contains(.unmatched))
        let entries = results.filter { $0 != .ignored }
        var want: [ErrorFormat.Result] = []
        for f in r.result.findings {
            let start = f.location.range.start
            want.append(.entry(type: f.severity.rawValue.first!, file: f.location.file, line: String(start.line),
                               column: String(start.column), message: "\(f.message) [\(f.code) \(f.name)]"))
            for rel in f.related {
                let s = rel.location.range.start
                want.append(.entry(type: "n", file: rel.location.file, line: String(s.line), column: String(s.column), message: rel.message))
            }
        }
        #expect(entries == want)
        #expect(entries.first == .entry(type: "e", file: path, line: "6", column: "3",
                                        message: "duplicate key 'displayName' [TL002 duplicate-key]"))
        #expect(efm.parse(r.lines[1]) == .ignored)
        #expect(efm.parse(r.lines[2]) == .ignored)
        #expect(efm.parse(r.lines.last!) == .ignored)
        #expect(efm.parse("tenantlint: error: manifests/missing.yaml: no such file or directory")
                == .message(type: "e", text: "manifests/missing.yaml: no such file or directory"))
    }

    // MARK: (c) Emacs: the built-in `gnu` regexp, and the entry in the docs

    /// compile.el's `gnu` entry of `compilation-error-regexp-alist-alist`
    /// (GNU Emacs 29/30: `1 (2 . 4) (3 . 5) (6 . 7)`), its rx form translated
    /// to ICU with only Emacs' groups 1, 2, 3, 6 and 7 capturing, here
    /// numbered 1 file, 2 line, 3 column, 4 warning, 5 info.
    static let emacsGNU = try! NSRegularExpression(pattern: #"""
        ^(?:[[:alpha:]][\-[:alnum:].]+:\ ?|[\ \t]+(?:in\ |from))?\
        ([0-9]*[^0-9\n](?:[^\n\ :]|\ [^\-/\n]|:[^\ \n])*?):\ ?\
        ([0-9]+)\
        (?:-(?:[0-9]+)(?:\.(?:[0-9]+))?|[.:]([0-9]+)(?:-(?:(?:[0-9]+)\.)?(?:[0-9]+))?)?\
        :(?:\ *(FutureWarning|RuntimeWarning|Warning|warning|W:)\
        |\ *([Ii]nfo(?:\b|rmationa?l?)|I:|\[\ skipping\ .+\ \]|instantiated\ from|required\ from|[Nn]ote)\
        |\ *[Ee]rror\
        |[0-9]?(?:[^0-9\n]|$)|[0-9][0-9][0-9])
        """#.replacingOccurrences(of: "\\\n", with: ""), options: [.allowCommentsAndWhitespace])

    struct EmacsMatch: Equatable {
        var file: String, line: String, column: String
        var type: Int  // 2 error, 1 warning, 0 info
    }

    static func gnu(_ line: String) -> EmacsMatch? {
        let ns = line as NSString
        guard let m = emacsGNU.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return nil }
        func g(_ i: Int) -> String? {
            let r = m.range(at: i)
            return r.location == NSNotFound ? nil : ns.substring(with: r)
        }
        let type = g(4) != nil ? 1 : g(5) != nil ? 0 : 2
        return EmacsMatch(file: g(1) ?? "", line: g(2) ?? "", column: g(3) ?? "", type: type)
    }

    static func emacsType(_ s: Severity) -> Int {
        switch s {
        case .error: return 2
        case .warning: return 1
        case .info: return 0
        }
    }

    @Test(arguments: paths) func emacsGNURegexpReadsFindingsAndNotes(path: String) {
        let r = Self.render(path)
        var want: [EmacsMatch] = []
        for f in r.result.findings {
            let s = f.location.range.start
            want.append(EmacsMatch(file: f.location.file, line: String(s.line), column: String(s.column), type: Self.emacsType(f.severity)))
            for rel in f.related {
                let s = rel.location.range.start
                want.append(EmacsMatch(file: rel.location.file, line: String(s.line), column: String(s.column), type: 0))
            }
        }
        #expect(r.lines.compactMap(Self.gnu) == want)
        #expect(Self.gnu(r.lines[0]) == EmacsMatch(file: path, line: "6", column: "3", type: 2))
        #expect(Self.gnu(r.lines[3]) == EmacsMatch(file: path, line: "5", column: "3", type: 0))
        #expect(Self.gnu(r.lines.last!) == nil)
    }

    /// The `(tenantlint "REGEXP" 1 2 3 (4 . 5))` entry printed in the docs,
    /// read from there and translated from Emacs regexp syntax to ICU.
    static func emacsDocsEntry() throws -> NSRegularExpression {
        let lines = docs.components(separatedBy: "\n")
        let at = try #require(lines.firstIndex { $0.hasSuffix("'(tenantlint") })
        let literal = lines[at + 1].trimmingCharacters(in: .whitespaces)
        #expect(lines[at + 2].trimmingCharacters(in: .whitespaces) == "1 2 3 (4 . 5)))")
        #expect(literal.hasPrefix("\"") && literal.hasSuffix("\""))
        // The Lisp string: `\\` is one backslash, `\"` a quote.
        var emacs = ""
        var it = literal.dropFirst().dropLast().makeIterator()
        while let c = it.next() {
            if c == "\\", let n = it.next() { emacs.append(n == "n" ? "\n" : n) } else { emacs.append(c) }
        }
        // Emacs regexp to ICU: `\(` `\)` `\|` are the operators; bare ( ) | { } are literal.
        var icu = ""
        var chars = emacs.makeIterator()
        while let c = chars.next() {
            switch c {
            case "\\":
                guard let n = chars.next() else { throw ErrorFormat.EFMError.unsupported(emacs) }
                switch n {
                case "(", ")", "|": icu.append(n)
                default: throw ErrorFormat.EFMError.unsupported(emacs)
                }
            case "(", ")", "|", "{", "}": icu += "\\" + String(c)
            default: icu.append(c)
            }
        }
        return try NSRegularExpression(pattern: icu)
    }

    @Test(arguments: paths) func theEmacsEntryInTheDocsReadsFindingsAndNotes(path: String) throws {
        let regex = try Self.emacsDocsEntry()
        let r = Self.render(path)
        func match(_ line: String) -> EmacsMatch? {
            let ns = line as NSString
            guard let m = regex.firstMatch(in: line, range: NSRange(location: 0, length: ns.length)) else { return nil }
            func g(_ i: Int) -> String? { m.range(at: i).location == NSNotFound ? nil : ns.substring(with: m.range(at: i)) }
            // TYPE (4 . 5): warning if group 4 matched, info if group 5, else error.
            return EmacsMatch(file: g(1) ?? "", line: g(2) ?? "", column: g(3) ?? "",
                              type: g(4) != nil ? 1 : g(5) != nil ? 0 : 2)
        }
        let matched = r.lines.compactMap(match)
        #expect(matched == r.lines.compactMap(Self.gnu))
        #expect(matched.count == 4)
        #expect(match(r.lines[0]) == EmacsMatch(file: path, line: "6", column: "3", type: 2))
        for line in [r.lines[1], r.lines[2], r.lines.last!] {
            #expect(match(line) == nil)
        }
    }
}
