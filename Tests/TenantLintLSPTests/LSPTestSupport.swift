import Dispatch
import Foundation
import Testing
@testable import TenantLintLSP
import TenantLint
import YAMLSource

/// The server's JSON (TenantLint has an unrelated `JSON` for imports).
typealias JSON = TenantLintLSP.JSON

/// A client talking to an in-process server over two pipes, as an editor
/// does over the server's standard input and output.
final class TestClient: @unchecked Sendable {
    let server: LanguageServer
    let toServer: Int32
    private let fromServer: Int32
    private let lock = NSLock()
    private var inbox: [JSON] = []
    private let arrived = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private var exitCode: Int32?
    private var nextID = 1
    /// Messages that were read while waiting for something else.
    private var held: [JSON] = []

    init() {
        var a: [Int32] = [0, 0], b: [Int32] = [0, 0]
        precondition(pipe(&a) == 0 && pipe(&b) == 0)
        server = LanguageServer(input: a[0], output: b[1], logFD: nil, version: "test")
        toServer = a[1]
        fromServer = b[0]
        let server = self.server
        let serverOut = b[1]
        // Threads of their own: blocking loops on Dispatch's pool would starve
        // it when many tests run at once.
        Thread.detachNewThread {
            let code = server.run()
            self.lock.lock(); self.exitCode = code; self.lock.unlock()
            close(serverOut)
            self.finished.signal()
        }
        let reader = MessageReader(fd: b[0])
        Thread.detachNewThread {
            while case .message(let bytes) = reader.next() {
                guard let json = JSON.parse(bytes) else { continue }
                self.lock.lock(); self.inbox.append(json); self.lock.unlock()
                self.arrived.signal()
            }
        }
    }

    private var inputClosed = false

    /// Ends the server's input (as an editor that goes away).
    func closeInput() {
        guard !inputClosed else { return }
        inputClosed = true
        close(toServer)
    }

    deinit {
        closeInput()
    }

    func sendRaw(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(toServer, $0.baseAddress, $0.count) }
    }

    func send(_ message: JSON) {
        let body = message.encoded
        sendRaw(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    func notify(_ method: String, _ params: JSON = .null) {
        send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    @discardableResult
    func sendRequest(_ method: String, _ params: JSON = .null) -> Int {
        let id = nextID
        nextID += 1
        send(["jsonrpc": "2.0", "id": .int(id), "method": .string(method), "params": params])
        return id
    }

    /// The next message from the server (a generous bound only against hangs).
    func next() -> JSON? {
        if !held.isEmpty { return held.removeFirst() }
        guard arrived.wait(timeout: .now() + 60) == .success else { return nil }
        lock.lock(); defer { lock.unlock() }
        return inbox.removeFirst()
    }

    /// Waits for the first message matching `predicate`; others are kept for later.
    func wait(for predicate: (JSON) -> Bool) -> JSON? {
        var skipped: [JSON] = []
        defer { held = skipped + held }
        while let m = next() {
            if predicate(m) { return m }
            skipped.append(m)
        }
        return nil
    }

    /// Sends a request and returns its response (the whole message).
    func request(_ method: String, _ params: JSON = .null) -> JSON? {
        let id = sendRequest(method, params)
        return wait { $0["id"] == .int(id) && $0["method"] == nil }
    }

    /// The notifications of one method, up to and including `tenantlint/lintFinished`.
    func untilLintFinished() -> [JSON] {
        var out: [JSON] = []
        while let m = next() {
            if m["method"]?.string == "tenantlint/lintFinished" { out.append(m); return out }
            out.append(m)
        }
        Issue.record("no tenantlint/lintFinished")
        return out
    }

    /// Drops everything received so far, by waiting for the reply to a request.
    func publishes(in messages: [JSON]) -> [String: [JSON]] {
        var out: [String: [JSON]] = [:]
        for m in messages where m["method"]?.string == "textDocument/publishDiagnostics" {
            out[m["params"]?["uri"]?.string ?? ""] = m["params"]?["diagnostics"]?.array ?? []
        }
        return out
    }

    func waitExit() -> Int32? {
        guard finished.wait(timeout: .now() + 60) == .success else { return nil }
        lock.lock(); defer { lock.unlock() }
        return exitCode
    }

    /// initialize + initialized, with a workspace and settings.
    @discardableResult
    func start(folder: String?, encodings: [String]? = nil, options: JSON = [:], watchers: Bool = false) -> JSON? {
        var general: [String: JSON] = [:]
        if let encodings { general["positionEncodings"] = .array(encodings.map { .string($0) }) }
        var params: [String: JSON] = [
            "processId": .null,
            "capabilities": ["general": .object(general),
                             "workspace": ["didChangeWatchedFiles": ["dynamicRegistration": .bool(watchers)]]],
            "initializationOptions": options,
        ]
        if let folder { params["workspaceFolders"] = [["uri": .string(FileURI.uri(folder)), "name": "ws"]] }
        params["rootUri"] = folder.map { .string(FileURI.uri($0)) } ?? .null
        let response = request("initialize", .object(params))
        notify("initialized", [:])
        return response
    }

    func shutdownAndExit() -> Int32? {
        _ = request("shutdown")
        notify("exit")
        return waitExit()
    }
}

/// A temporary workspace folder with files; removed at the end.
final class TempWorkspace {
    let path: String

    init(_ files: [String: String]) {
        let base = FileManager.default.temporaryDirectory.path + "/tenantlint-lsp-\(UUID().uuidString)"
        path = FileURI.normalize(base)
        for (name, text) in files { write(name, text) }
    }

    func write(_ name: String, _ text: String) {
        let full = path + "/" + name
        try? FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: full, contents: Data(text.utf8))
    }

    func uri(_ name: String) -> String { FileURI.uri(path + "/" + name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Settings that make runs deterministic and immediate.
let testOptions: JSON = ["today": "2026-03-15", "debounceMilliseconds": 0, "lintFinishedNotification": true, "jobs": 2]

let alphaYAML = """
apiVersion: tenantlint/v1
kind: Tenant
metadata:
  name: alpha
spec:
  plan: E5
  domains: [alpha.com, shared.com]

"""

let betaYAML = """
apiVersion: tenantlint/v1
kind: Tenant
metadata:
  name: beta
spec:
  plan: E5
  domains: [beta.com]

"""

let projectYAML = """
apiVersion: tenantlint/v1
kind: Collaboration
metadata:
  name: proj
spec:
  host: alpha
  tenants: [alpha, beta]
  services: [b2b]
  start: 2026-01-01
  end: 2027-01-01

"""

/// A clean three-file workspace (two rules its minimal tenants break are off).
func cleanWorkspace() -> TempWorkspace {
    TempWorkspace([
        "a.yaml": alphaYAML, "b.yaml": betaYAML, "c.yaml": projectYAML,
        ".tenantlint.yml": "rules:\n  TL307: off\n  TL405: off\n",
    ])
}

/// `code line:character-line:character message` of each diagnostic.
func rows(_ diagnostics: [JSON]?) -> [String] {
    (diagnostics ?? []).map { d in
        let r = d["range"]
        return "\(d["code"]?.string ?? "") \(r?["start"]?["line"]?.int ?? -1):\(r?["start"]?["character"]?.int ?? -1)-\(r?["end"]?["line"]?.int ?? -1):\(r?["end"]?["character"]?.int ?? -1) \(d["message"]?.string ?? "")"
    }
}
