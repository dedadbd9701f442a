import Dispatch
import TenantLint
import YAMLSource


/// JSON-RPC and LSP error codes.
public enum ErrorCode {
    public static let parseError = -32700
    public static let invalidRequest = -32600
    public static let methodNotFound = -32601
    public static let invalidParams = -32602
    public static let internalError = -32603
    public static let serverNotInitialized = -32002
    public static let requestCancelled = -32800
}

/// `tenantlint lsp`: a Language Server Protocol server over a pair of file
/// descriptors (standard input and output for the command). Messages are
/// read on the calling thread; requests and notifications are handled in
/// order on one queue; lint runs happen on another, so hover and completion
/// answer while the workspace is being linted. See docs/editors.md.
public final class LanguageServer: @unchecked Sendable {
    public let version: String
    let reader: MessageReader
    let writer: MessageWriter
    let logFD: Int32?

    /// Everything below is touched only on `queue`.
    let queue = DispatchQueue(label: "tenantlint.lsp")
    let lintQueue = DispatchQueue(label: "tenantlint.lsp.lint")
    private var initialized = false
    private var shutdownRequested = false
    var encoding = PositionEncoding.utf16
    var folders: [String] = []
    var overlays: [String: Overlay] = [:]
    var settings = ServerSettings()
    private var published: [String: [JSON]] = [:]
    private var forced = Set<String>()
    private var changeGeneration = 0
    private var reloadGeneration = 0
    private var lintSequence = 0
    private var appliedSequence = 0
    /// Files published by each applied run, until the run finishes.
    private var publishedCount: [Int: Int] = [:]
    /// Files published early by each run (its open buffers), until it is applied.
    private var earlyCount: [Int: Int] = [:]
    private var nextRequestID = 1
    var canRegisterWatchers = false
    var pack: RulePack?
    var index = WorkspaceIndex()
    /// The last run's findings with fixes, by path (for quick fixes and fix-all).
    var fixable: [String: FixableFile] = [:]

    /// Ids of requests cancelled before they were handled (read-thread writes, queue reads).
    private let cancelLock = Lock()
    private var cancelled = Set<String>()
    /// The newest lint run asked for (lint queue skips older ones).
    private let sequenceLock = Lock()
    private var latestSequence = 0
    private let linter = WorkspaceLinter()

    /// - logFD: where log lines go besides `window/logMessage` (standard error; nil: nowhere).
    public init(input: Int32, output: Int32, logFD: Int32? = 2, version: String) {
        self.reader = MessageReader(fd: input)
        self.writer = MessageWriter(fd: output)
        self.logFD = logFD
        self.version = version
    }

    /// Serves until `exit` or the end of the input; returns the exit code:
    /// 0 after `shutdown` then `exit`, else 1 (as the protocol says).
    public func run() -> Int32 {
        signal(SIGPIPE, SIG_IGN)
        // A run still going when the session ends must not write to the
        // output afterwards (its descriptor may be closed and reused).
        defer { writer.stop() }
        while true {
            switch reader.next() {
            case .end:
                return queue.sync { shutdownRequested ? 0 : 1 }
            case .malformed(let why):
                log(1, "malformed message: \(why)")
                sendError(id: .null, code: ErrorCode.parseError, message: why)
            case .message(let bytes):
                guard let json = JSON.parse(bytes) else {
                    sendError(id: .null, code: ErrorCode.parseError, message: "the message is not JSON")
                    continue
                }
                guard case .object(let o) = json else {
                    sendError(id: .null, code: ErrorCode.invalidRequest, message: "a message must be a JSON object")
                    continue
                }
                let id = o["id"]
                if let id, !Self.isValidID(id) {
                    sendError(id: .null, code: ErrorCode.invalidRequest, message: "a message id must be a number or a string")
                    continue
                }
                guard let methodValue = o["method"] else {
                    // A response to one of our requests (registerCapability), or nonsense.
                    if id == nil || (o["result"] == nil && o["error"] == nil) {
                        sendError(id: id ?? .null, code: ErrorCode.invalidRequest, message: "a message needs a method")
                    }
                    continue
                }
                guard let method = methodValue.string else {
                    sendError(id: id ?? .null, code: ErrorCode.invalidRequest, message: "method must be a string")
                    continue
                }
                let params = o["params"] ?? .null
                if method == "$/cancelRequest" {
                    if let target = params["id"], Self.isValidID(target) {
                        cancelLock.withLock { _ = cancelled.insert(target.text) }
                    }
                    continue
                }
                if method == "exit" {
                    return queue.sync { shutdownRequested ? 0 : 1 }
                }
                queue.async { self.handle(method: method, id: id, params: params) }
            }
        }
    }

    static func isValidID(_ id: JSON) -> Bool {
        switch id {
        case .int, .string: return true
        case .double(let d): return d == d.rounded()
        default: return false
        }
    }

    // MARK: - Messages out

    func respond(id: JSON, result: JSON) {
        writer.send(["jsonrpc": "2.0", "id": id, "result": result])
    }

    func sendError(id: JSON, code: Int, message: String) {
        writer.send(["jsonrpc": "2.0", "id": id, "error": ["code": .int(code), "message": .string(message)]])
    }

    func notify(_ method: String, _ params: JSON) {
        writer.send(["jsonrpc": "2.0", "method": .string(method), "params": params])
    }

    func request(_ method: String, _ params: JSON) {
        let id = JSON.string("tenantlint-\(nextRequestID)")
        nextRequestID += 1
        writer.send(["jsonrpc": "2.0", "id": id, "method": .string(method), "params": params])
    }

    /// A log line on standard error and as `window/logMessage` (1 error, 2 warning, 3 info, 4 log).
    func log(_ type: Int, _ message: String) {
        if let logFD {
            let line = Array("tenantlint lsp: \(message)\n".utf8)
            _ = line.withUnsafeBytes { write(logFD, $0.baseAddress, $0.count) }
        }
        notify("window/logMessage", ["type": .int(type), "message": .string(message)])
    }

    // MARK: - Dispatch

    private func handle(method: String, id: JSON?, params: JSON) {
        if let id {
            let wasCancelled = cancelLock.withLock { cancelled.remove(id.text) != nil }
            if wasCancelled {
                sendError(id: id, code: ErrorCode.requestCancelled, message: "request \(id.text) was cancelled")
                return
            }
        }
        if shutdownRequested {
            if let id { sendError(id: id, code: ErrorCode.invalidRequest, message: "the server is shut down; only 'exit' is accepted") }
            return
        }
        if !initialized && method != "initialize" {
            if let id { sendError(id: id, code: ErrorCode.serverNotInitialized, message: "the server is not initialized") }
            return
        }
        if let id {
            switch method {
            case "initialize":
                if initialized {
                    sendError(id: id, code: ErrorCode.invalidRequest, message: "initialize was already received")
                } else {
                    respond(id: id, result: initialize(params))
                }
            case "shutdown":
                shutdownRequested = true
                respond(id: id, result: .null)
            case "textDocument/hover":
                respond(id: id, result: hover(params))
            case "textDocument/completion":
                respond(id: id, result: completion(params))
            case "textDocument/definition":
                respond(id: id, result: definition(params))
            case "textDocument/codeAction":
                respond(id: id, result: codeActions(params))
            default:
                sendError(id: id, code: ErrorCode.methodNotFound, message: "unknown method '\(method)'")
            }
            return
        }
        switch method {
        case "initialized": didInitialize()
        case "textDocument/didOpen": didOpen(params)
        case "textDocument/didChange": didChange(params)
        case "textDocument/didClose": didClose(params)
        case "textDocument/didSave": didSave(params)
        case "workspace/didChangeWatchedFiles": didChangeWatchedFiles(params)
        case "workspace/didChangeConfiguration": didChangeConfiguration(params)
        case "workspace/didChangeWorkspaceFolders": didChangeWorkspaceFolders(params)
        default:
            // Unknown notifications are ignored (`$/` ones by the protocol's rule).
            if !method.hasPrefix("$/") { log(4, "ignored notification '\(method)'") }
        }
    }

    // MARK: - Lifecycle

    private func initialize(_ params: JSON) -> JSON {
        initialized = true
        encoding = PositionEncoding.negotiate(params["capabilities"]?["general"]?["positionEncodings"]?.array?.compactMap(\.string))
        canRegisterWatchers = params["capabilities"]?["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.bool ?? false
        if let list = params["workspaceFolders"]?.array {
            folders = list.compactMap { $0["uri"]?.string.flatMap(FileURI.path) }
        } else if let root = params["rootUri"]?.string.flatMap(FileURI.path) {
            folders = [root]
        } else if let root = params["rootPath"]?.string, root.hasPrefix("/") {
            folders = [FileURI.normalize(root)]
        }
        let options = params["initializationOptions"]
        for p in settings.update(from: options?["tenantlint"] ?? options) { log(2, p) }
        return [
            "capabilities": [
                "positionEncoding": .string(encoding.rawValue),
                "textDocumentSync": ["openClose": true, "change": 2, "save": ["includeText": false]],
                "hoverProvider": true,
                "completionProvider": ["triggerCharacters": [":", " ", "-"], "resolveProvider": false],
                "definitionProvider": true,
                "codeActionProvider": ["codeActionKinds": ["quickfix", .string(Self.fixAllKind)]],
                "workspace": ["workspaceFolders": ["supported": true, "changeNotifications": true]],
            ],
            "serverInfo": ["name": "tenantlint", "version": .string(version)],
        ]
    }

    private func didInitialize() {
        log(3, "tenantlint \(version) serving \(folders.isEmpty ? "no workspace folder" : folders.joined(separator: ", ")) (positions in \(encoding.rawValue))")
        if canRegisterWatchers {
            request("client/registerCapability", ["registrations": [[
                "id": "tenantlint-watchers",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": ["watchers": [
                    ["globPattern": "**/.tenantlint.{yml,yaml}"],
                    ["globPattern": "**/*.{yaml,yml}"],
                ]],
            ]]])
        }
        scheduleLint(delay: 0)
    }

    // MARK: - Documents

    private func didOpen(_ params: JSON) {
        guard let doc = params["textDocument"], let uri = doc["uri"]?.string, let path = FileURI.path(uri),
              let text = doc["text"]?.string else { return }
        overlays[path] = Overlay(bytes: Array(text.utf8), version: doc["version"]?.int ?? 0,
                                 languageId: doc["languageId"]?.string ?? "")
        forced.insert(FileURI.uri(path))
        scheduleLint(delay: 0)
    }

    private func didChange(_ params: JSON) {
        guard let doc = params["textDocument"], let uri = doc["uri"]?.string, let path = FileURI.path(uri),
              var overlay = overlays[path], let changes = params["contentChanges"]?.array else { return }
        for change in changes {
            guard let text = change["text"]?.string else { continue }
            if let range = change["range"], let start = LSPPosition(range["start"]), let end = LSPPosition(range["end"]) {
                let conv = PositionConverter(source: Source(path: path, bytes: overlay.bytes), encoding: encoding)
                let lo = conv.offset(of: start), hi = max(lo, conv.offset(of: end))
                overlay.bytes.replaceSubrange(lo..<hi, with: Array(text.utf8))
            } else {
                overlay.bytes = Array(text.utf8)
            }
        }
        overlay.version = doc["version"]?.int ?? overlay.version + 1
        overlays[path] = overlay
        scheduleLint(delay: settings.debounceMilliseconds)
    }

    private func didClose(_ params: JSON) {
        guard let uri = params["textDocument"]?["uri"]?.string, let path = FileURI.path(uri) else { return }
        overlays[path] = nil
        // The disk's text counts again: read it afresh.
        linter.note([WatchedChange(path: path, kind: .changed)])
        scheduleLint(delay: 0)
    }

    private func didSave(_ params: JSON) {
        // The buffer already holds what was saved; the disk's copy is read
        // again when the buffer closes. (Clients also report their own saves
        // as watched-file changes.)
        guard let uri = params["textDocument"]?["uri"]?.string, let path = FileURI.path(uri) else { return }
        linter.note([WatchedChange(path: path, kind: .changed)])
    }

    /// Files created, changed or deleted on disk: configuration and rule
    /// files reload the rules; manifests are read again, and created or
    /// deleted ones join or leave the workspace's file list (see
    /// `WorkspaceLinter`).
    private func didChangeWatchedFiles(_ params: JSON) {
        let changes = (params["changes"]?.array ?? []).compactMap { c -> WatchedChange? in
            guard let path = c["uri"]?.string.flatMap(FileURI.path) else { return nil }
            return WatchedChange(path: path, kind: c["type"]?.int.flatMap(WatchedChange.Kind.init(rawValue:)) ?? .changed)
        }
        log(4, "files changed on disk: \(changes.map(\.path).joined(separator: ", "))")
        linter.note(changes)
        scheduleLint(delay: settings.debounceMilliseconds)
    }

    private func didChangeConfiguration(_ params: JSON) {
        let s = params["settings"]
        for p in settings.update(from: s?["tenantlint"] ?? s) { log(2, p) }
        reloadGeneration += 1
        scheduleLint(delay: 0)
    }

    private func didChangeWorkspaceFolders(_ params: JSON) {
        let removed = (params["event"]?["removed"]?.array ?? []).compactMap { $0["uri"]?.string.flatMap(FileURI.path) }
        let added = (params["event"]?["added"]?.array ?? []).compactMap { $0["uri"]?.string.flatMap(FileURI.path) }
        folders = folders.filter { !removed.contains($0) } + added.filter { !folders.contains($0) }
        reloadGeneration += 1
        scheduleLint(delay: 0)
    }

    // MARK: - Linting

    /// Lints after `delay` ms unless another change comes first (the debounce).
    func scheduleLint(delay: Int) {
        changeGeneration += 1
        let generation = changeGeneration
        let work: @Sendable () -> Void = { [self] in
            guard generation == changeGeneration else { return }
            startLint()
        }
        if delay == 0 { queue.async(execute: work) } else { queue.asyncAfter(deadline: .now() + .milliseconds(delay), execute: work) }
    }

    private func startLint() {
        lintSequence += 1
        let snapshot = LintSnapshot(folders: folders, overlays: overlays, settings: settings, encoding: encoding,
                                    reloadGeneration: reloadGeneration, sequence: lintSequence, watchesFiles: canRegisterWatchers)
        sequenceLock.withLock { latestSequence = snapshot.sequence }
        lintQueue.async { [self] in
            // A newer snapshot is waiting: this one is out of date.
            guard sequenceLock.withLock({ latestSequence == snapshot.sequence }) else { return }
            let outcome = linter.run(snapshot, early: { first in self.queue.async { self.applyEarly(first) } })
            queue.async { self.apply(outcome) }
            let index = linter.updateIndex()
            queue.async { self.finish(outcome, index: index) }
        }
    }

    /// The first diagnostics of a run (its open buffers'), published
    /// before the rest; `apply` then publishes only what differs from them.
    private func applyEarly(_ first: LintOutcome) {
        guard first.sequence > appliedSequence else { return }
        var count = 0
        for (uri, new) in first.diagnostics.sorted(by: { $0.key < $1.key }) {
            guard new != (published[uri] ?? []) || forced.contains(uri) else { continue }
            var params: [String: JSON] = ["uri": .string(uri), "diagnostics": .array(new)]
            if let v = first.versions[uri] { params["version"] = .int(v) }
            notify("textDocument/publishDiagnostics", .object(params))
            forced.remove(uri)
            published[uri] = new.isEmpty ? nil : new
            count += 1
        }
        earlyCount[first.sequence] = count
    }

    private func apply(_ outcome: LintOutcome) {
        guard outcome.sequence > appliedSequence else { return }
        appliedSequence = outcome.sequence
        for (type, message) in outcome.log { log(type, message) }
        if let p = outcome.pack { pack = p }
        fixable = outcome.fixable
        var count = 0
        let uris = Set(published.keys).union(outcome.diagnostics.keys).sorted()
        for uri in uris {
            let new = outcome.diagnostics[uri] ?? []
            let old = published[uri] ?? []
            guard new != old || forced.contains(uri) else { continue }
            var params: [String: JSON] = ["uri": .string(uri), "diagnostics": .array(new)]
            if let v = outcome.versions[uri] { params["version"] = .int(v) }
            notify("textDocument/publishDiagnostics", .object(params))
            count += 1
        }
        forced = forced.filter { outcome.diagnostics[$0] == nil }
        published = outcome.diagnostics.filter { !$0.value.isEmpty }
        publishedCount[outcome.sequence] = count + (earlyCount.removeValue(forKey: outcome.sequence) ?? 0)
        earlyCount = earlyCount.filter { $0.key > outcome.sequence }
    }

    /// After a run's diagnostics are out and its index is built: the index,
    /// the log line and `tenantlint/lintFinished` (the point at which every
    /// feature sees the run).
    private func finish(_ outcome: LintOutcome, index: WorkspaceIndex) {
        guard let count = publishedCount.removeValue(forKey: outcome.sequence) else { return }
        self.index = index
        let ms = Int((outcome.seconds * 1000).rounded())
        log(4, "linted \(outcome.fileCount) file(s) (\(outcome.parsedFiles) parsed) in \(ms) ms: \(outcome.findingCount) finding(s), \(count) file(s) published")
        if settings.lintFinishedNotification {
            notify("tenantlint/lintFinished", ["files": .int(outcome.fileCount), "findings": .int(outcome.findingCount),
                                               "published": .int(count)])
        }
    }

    // MARK: - Text of documents

    /// The current text of a file: its buffer when open, else the disk's.
    func source(of path: String) -> Source? {
        if let o = overlays[path] { return Source(path: path, bytes: o.bytes) }
        if case .success(let input) = Workspace().read(path) { return Source(path: path, bytes: input.bytes) }
        return nil
    }

    /// The document and offset a `TextDocumentPositionParams` names.
    func position(_ params: JSON) -> (path: String, source: Source, offset: Int)? {
        guard let uri = params["textDocument"]?["uri"]?.string, let path = FileURI.path(uri),
              let p = LSPPosition(params["position"]), let source = source(of: path) else { return nil }
        return (path, source, PositionConverter(source: source, encoding: encoding).offset(of: p))
    }

    static let fixAllKind = "source.fixAll.tenantlint"

    // MARK: - Test hooks

    /// Holds requests in the queue (a test sends a request and its cancellation in between).
    func pause() { queue.suspend() }
    func resume() { queue.resume() }
}
