import ArgumentParser
import TenantLint
import TenantLintLSP


/// `tenantlint lsp`: the language server on standard input and output
/// (see docs/editors.md). A thin wrapper of `LanguageServer`.
struct LSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server (LSP over standard input and output) for editors.",
        discussion: """
        Lints every manifest of the editor's workspace folders as you type, with \
        cross-file rules, and offers hover docs, completion, go to definition and \
        suppression quick fixes. Logs go to standard error. See docs/editors.md.
        """
    )

    @Flag(name: .customLong("stdio"), help: "Talk over standard input and output (the default and only transport).")
    var stdio = false

    func run() throws {
        let server = LanguageServer(input: STDIN_FILENO, output: STDOUT_FILENO, logFD: STDERR_FILENO, version: Version.current)
        let code = server.run()
        throw ExitCode(code)
    }
}
