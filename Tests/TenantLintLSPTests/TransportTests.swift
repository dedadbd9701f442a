import Foundation
import Testing
@testable import TenantLintLSP

@Suite struct TransportTests {
    /// A reader over a pipe already holding `bytes` (then closed).
    func reader(_ bytes: String) -> MessageReader {
        var p: [Int32] = [0, 0]
        _ = pipe(&p)
        let b = Array(bytes.utf8)
        _ = b.withUnsafeBytes { write(p[1], $0.baseAddress, $0.count) }
        close(p[1])
        return MessageReader(fd: p[0])
    }

    @Test func twoMessagesInOneWrite() {
        let r = reader("Content-Length: 2\r\n\r\n{}Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 4\r\n\r\nnull")
        #expect(r.next() == .message(Array("{}".utf8)))
        #expect(r.next() == .message(Array("null".utf8)))
        #expect(r.next() == .end)
    }

    @Test func headerCaseAndSpacing() {
        let r = reader("content-length:3\r\n\r\n[1]")
        #expect(r.next() == .message(Array("[1]".utf8)))
        #expect(r.next() == .end)
    }

    @Test func malformedHeadersAreSkipped() {
        let r = reader("Content-Type: x\r\n\r\nContent-Length: abc\r\n\r\nno colon here\r\n\r\nContent-Length: 2\r\n\r\n{}")
        #expect(r.next() == .malformed("a message without Content-Length"))
        #expect(r.next() == .malformed("Content-Length 'abc' is not a length"))
        #expect(r.next() == .malformed("malformed header line 'no colon here'"))
        #expect(r.next() == .message(Array("{}".utf8)))
        #expect(r.next() == .end)
    }

    /// A body longer than its Content-Length said runs into the next header:
    /// the reader skips to that header and goes on.
    @Test func resynchronizesOnTheNextHeader() {
        let r = reader("Content-Length: 2\r\n\r\n{}xyz}Content-Length: 2\r\n\r\n[]  content-length: 1\r\n\r\n1")
        #expect(r.next() == .message(Array("{}".utf8)))
        #expect(r.next() == .malformed("skipped 4 bytes that are not a message"))
        #expect(r.next() == .message(Array("[]".utf8)))
        #expect(r.next() == .malformed("skipped 2 bytes that are not a message"))
        #expect(r.next() == .message(Array("1".utf8)))
        #expect(r.next() == .end)
    }

    @Test func truncatedInput() {
        #expect(reader("Content-Length: 10\r\n\r\n{}").next() == .malformed("the input ended inside a message body"))
        #expect(reader("Content-Length: 10").next() == .malformed("the input ended inside a message header"))
        #expect(reader("\r\n").next() == .end)
    }

    @Test func oversizedHeader() {
        let r = reader(String(repeating: "x", count: 9000))
        #expect(r.next() == .malformed("a message header longer than 8192 bytes; input skipped"))
        #expect(r.next() == .end)
    }

    @Test func jsonRoundTrip() {
        let text = #"{"a":[1,2.5,"é😀",true,null],"b":{"c":-3}}"#
        let v = JSON.parse(Array(text.utf8))
        #expect(v == ["a": [1, .double(2.5), "é😀", true, nil], "b": ["c": -3]])
        #expect(v?.text == text)
        #expect(JSON.parse(Array("{".utf8)) == nil)
    }

    @Test func fileURIs() {
        #expect(FileURI.path("file:///tmp/a%20b/c%C3%A9.yaml") == "/tmp/a b/cé.yaml")
        #expect(FileURI.path("file://localhost/tmp/./x/../y.yaml") == "/tmp/y.yaml")
        #expect(FileURI.path("untitled:Untitled-1") == nil)
        #expect(FileURI.path("file://server/share/a.yaml") == nil)
        #expect(FileURI.uri("/tmp/a b/cé.yaml") == "file:///tmp/a%20b/c%C3%A9.yaml")
    }
}

@Suite struct LifecycleTests {
    @Test func initializeAdvertisesCapabilities() throws {
        let c = TestClient()
        let response = try #require(c.start(folder: nil, encodings: ["utf-16"], options: testOptions))
        #expect(response["result"]?.text == #"{"capabilities":{"codeActionProvider":{"codeActionKinds":["quickfix","source.fixAll.tenantlint"]},"completionProvider":{"resolveProvider":false,"triggerCharacters":[":"," ","-"]},"definitionProvider":true,"hoverProvider":true,"positionEncoding":"utf-16","textDocumentSync":{"change":2,"openClose":true,"save":{"includeText":false}},"workspace":{"workspaceFolders":{"changeNotifications":true,"supported":true}}},"serverInfo":{"name":"tenantlint","version":"test"}}"#)
        let log = c.wait { $0["method"]?.string == "window/logMessage" }
        #expect(log?["params"]?["message"]?.string == "tenantlint test serving no workspace folder (positions in utf-16)")
        #expect(c.shutdownAndExit() == 0)
    }

    @Test func requestBeforeInitialize() {
        let c = TestClient()
        let r = c.request("textDocument/hover", [:])
        #expect(r?["error"]?.text == #"{"code":-32002,"message":"the server is not initialized"}"#)
        c.notify("exit")
        #expect(c.waitExit() == 1)  // exit without shutdown
    }

    @Test func malformedMessagesGetErrorsAndTheSessionGoesOn() {
        let c = TestClient()
        c.start(folder: nil, options: testOptions)
        c.sendRaw(Array("Content-Length: 5\r\n\r\n{oops".utf8))
        #expect(c.wait { $0["error"] != nil }?.text == #"{"error":{"code":-32700,"message":"the message is not JSON"},"id":null,"jsonrpc":"2.0"}"#)
        c.sendRaw(Array("Content-Length: 3\r\n\r\n[1]".utf8))
        #expect(c.wait { $0["error"] != nil }?["error"]?["code"] == -32600)
        c.send(["jsonrpc": "2.0", "id": 7, "params": [:]])
        #expect(c.wait { $0["error"] != nil }?.text == #"{"error":{"code":-32600,"message":"a message needs a method"},"id":7,"jsonrpc":"2.0"}"#)
        c.send(["jsonrpc": "2.0", "id": ["x": 1], "method": "shutdown"])
        #expect(c.wait { $0["error"] != nil }?.text == #"{"error":{"code":-32600,"message":"a message id must be a number or a string"},"id":null,"jsonrpc":"2.0"}"#)
        c.sendRaw(Array("Content-Type: x\r\n\r\n".utf8))
        #expect(c.wait { $0["error"] != nil }?.text == #"{"error":{"code":-32700,"message":"a message without Content-Length"},"id":null,"jsonrpc":"2.0"}"#)
        let unknown = c.request("tenantlint/nonsense", [:])
        #expect(unknown?.text == #"{"error":{"code":-32601,"message":"unknown method 'tenantlint/nonsense'"},"id":2,"jsonrpc":"2.0"}"#)
        c.notify("some/notification", [:])  // ignored
        #expect(c.request("initialize", [:])?["error"]?.text == #"{"code":-32600,"message":"initialize was already received"}"#)
        #expect(c.shutdownAndExit() == 0)
    }

    @Test func afterShutdownOnlyExit() {
        let c = TestClient()
        c.start(folder: nil, options: testOptions)
        #expect(c.request("shutdown")?.text == #"{"id":2,"jsonrpc":"2.0","result":null}"#)
        #expect(c.request("textDocument/hover", [:])?["error"]?.text == #"{"code":-32600,"message":"the server is shut down; only 'exit' is accepted"}"#)
        c.notify("exit")
        #expect(c.waitExit() == 0)
    }

    @Test func endOfInputEndsTheServer() {
        let c = TestClient()
        c.start(folder: nil, options: testOptions)
        c.closeInput()
        #expect(c.waitExit() == 1)
    }

    @Test func cancelledRequestIsAnsweredWithRequestCancelled() {
        let c = TestClient()
        c.start(folder: nil, options: testOptions)
        c.server.pause()
        let id = c.sendRequest("textDocument/hover", ["textDocument": ["uri": "file:///nowhere.yaml"], "position": ["line": 0, "character": 0]])
        c.notify("$/cancelRequest", ["id": .int(id)])
        // The reader thread answers a broken message itself: once that answer
        // is back, it has recorded the cancellation sent before it.
        c.sendRaw(Array("Content-Length: 1\r\n\r\nx".utf8))
        #expect(c.wait { $0["error"]?["code"] == -32700 } != nil)
        c.server.resume()
        #expect(c.wait { $0["id"] == .int(id) }?["error"]?.text == #"{"code":-32800,"message":"request \#(id) was cancelled"}"#)
        #expect(c.request("textDocument/hover", ["textDocument": ["uri": "file:///nowhere.yaml"], "position": ["line": 0, "character": 0]])?.text
                == #"{"id":3,"jsonrpc":"2.0","result":null}"#)
        #expect(c.shutdownAndExit() == 0)
    }
}
