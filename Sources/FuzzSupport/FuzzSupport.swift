import Foundation
import TenantLint
import YAMLSource

/// Shared state of the fuzz targets: the built-in pack, and the sample
/// manifests as documents to evaluate expressions and rules against. Built
/// once per process (libFuzzer calls the target millions of times).
public enum Fuzz {
    /// 2026-03-15, the fixed "today" of the tests.
    public static let today = DateValue.days(year: 2026, month: 3, day: 15)

    public static let pack: RulePack = {
        switch RulePack.loadAll(userRules: []) {
        case .success(let pack): return pack
        case .failure(let e): fail("the built-in rule pack does not load: \(e.errors)")
        }
    }()

    public static let linter = Linter(pack: pack, options: LintOptions(today: today))

    /// The repository's samples (clean and violations), read once.
    public static let samples: [InputFile] = {
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        let root = ProcessInfo.processInfo.environment["TENANTLINT_ROOT"] ?? parts.joined(separator: "/")
        var files: [InputFile] = []
        for dir in ["samples/clean", "samples/violations"] {
            let path = root + "/" + dir
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                if let data = FileManager.default.contents(atPath: path + "/" + name) {
                    files.append(InputFile(path: dir + "/" + name, bytes: Array(data)))
                }
            }
        }
        if files.isEmpty { fail("no samples under \(root)/samples (set TENANTLINT_ROOT)") }
        return files
    }()

    /// Whole manifest documents of YAML files (as the linter hands them to rules).
    public static func documents(_ files: [InputFile]) -> [ManifestDocument] {
        var docs: [ManifestDocument] = []
        for (i, f) in files.enumerated() {
            let loaded = Loader().load(Source(path: f.path, bytes: f.bytes))
            for d in loaded.documents where d.isComplete {
                guard let root = d.root, root.mapping != nil, let kind = pack.header.kind(of: root) else { continue }
                docs.append(ManifestDocument(root: root, kind: kind, fileIndex: i, documentIndex: d.index))
            }
        }
        return docs
    }

    public static func environment(_ docs: [ManifestDocument]) -> RunEnvironment {
        RunEnvironment(documents: docs, schema: pack.schema, validator: pack.validator, today: today)
    }

    /// The samples' documents, as a run sees them.
    public static let sampleDocuments = documents(samples)
    public static let sampleEnvironment = environment(sampleDocuments)

    /// A property the code under test must keep; a violation is reported as a
    /// crash so that libFuzzer saves the input.
    public static func expect(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fail(message()) }
    }

    public static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fuzz invariant violated: \(message)\n".utf8))
        abort()
    }

    /// Checks that a range lies inside a source of `byteCount` bytes and
    /// `lineCount` lines, with 1-based lines and columns and start <= end.
    public static func checkRange(_ r: SourceRange, in source: Source, _ what: @autoclosure () -> String) {
        let n = source.bytes.count, lines = source.lineCount
        for p in [r.start, r.end] {
            expect(p.line >= 1 && p.line <= lines, "\(what()): line \(p.line) outside 1...\(lines) (\(r))")
            expect(p.column >= 1, "\(what()): column \(p.column) < 1 (\(r))")
            expect(p.offset >= 0 && p.offset <= n, "\(what()): offset \(p.offset) outside 0...\(n) (\(r))")
        }
        expect(r.start <= r.end, "\(what()): start after end (\(r))")
        checkPosition(r.start, in: source, what())
        checkPosition(r.end, in: source, what())
    }

    /// Checks that a position's line and column agree with its byte offset.
    public static func checkPosition(_ p: SourcePosition, in source: Source, _ what: @autoclosure () -> String) {
        let n = source.bytes.count
        expect(p.line >= 1 && p.line <= source.lineCount, "\(what()): line \(p.line) outside 1...\(source.lineCount) (\(p))")
        expect(p.column >= 1, "\(what()): column \(p.column) < 1 (\(p))")
        expect(p.offset >= 0 && p.offset <= n, "\(what()): offset \(p.offset) outside 0...\(n) (\(p))")
        // A position inside a BOM or a multi-byte character has no exact line
        // and column of its own; judge only positions on character boundaries.
        guard p.offset >= source.bomLength, p.offset == n || source.bytes[p.offset] & 0xC0 != 0x80 else { return }
        let expected = source.position(ofByte: p.offset)
        expect(expected.line == p.line && expected.column == p.column,
               "\(what()): \(p.line):\(p.column) but offset \(p.offset) is at \(expected.line):\(expected.column)")
    }
}

/// libFuzzer's entry point for a program that has its own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

extension Fuzz {
    /// Runs libFuzzer with the program's arguments. SwiftPM links every
    /// executable with `main` aliased to `<Module>_main`, so each target
    /// defines that symbol and hands over to libFuzzer's driver here.
    public static func runDriver(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                                 _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
        // Build the shared state before libFuzzer starts counting allocations
        // per input (leak detection), so that it is not charged to the first input.
        _ = (linter, sampleEnvironment)
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments, callback)
    }
}
