import Foundation
import Testing

/// `tenantlint lsp` through the binary: standard input and output, the log
/// on standard error, the exit codes.
@Suite struct LSPCLITests {
    static func frame(_ json: String) -> String {
        "Content-Length: \(json.utf8.count)\r\n\r\n\(json)"
    }

    static let initialize = frame(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":null,"capabilities":{}}}"#)
    static let shutdown = frame(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#)
    static let exit = frame(#"{"jsonrpc":"2.0","method":"exit"}"#)

    @Test func sessionOverStandardInputAndOutput() throws {
        let r = try CLI.run(["lsp", "--stdio"], stdin: Self.initialize + Self.shutdown + Self.exit)
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("Content-Length: 499\r\n\r\n{\"id\":1,\"jsonrpc\":\"2.0\",\"result\":{\"capabilities\":"))
        #expect(r.stdout.hasSuffix(Self.frame(#"{"id":2,"jsonrpc":"2.0","result":null}"#)))
        #expect(r.stderr == "")
    }

    @Test func exitWithoutShutdownAndBrokenInput() throws {
        let r = try CLI.run(["lsp"], stdin: "Content-Length: 3\r\n\r\n{x}" + Self.exit)
        #expect(r.status == 1)
        #expect(r.stdout == Self.frame(#"{"error":{"code":-32700,"message":"the message is not JSON"},"id":null,"jsonrpc":"2.0"}"#))
        let end = try CLI.run(["lsp"], stdin: "Content-Length: 9\r\n\r\n{")
        #expect(end.status == 1)
        #expect(end.stderr == "tenantlint lsp: malformed message: the input ended inside a message body\n")
    }
}
