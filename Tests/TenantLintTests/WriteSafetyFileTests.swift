import Foundation
import Testing
@testable import TenantLint

#if canImport(Glibc)
import Glibc
#endif

/// The in-process half of WriteSafetyTests (its subprocess tests are in
/// Tests/TenantLintCLITests/WriteSafetyTests.swift).
@Suite(.serialized) struct WriteSafetyTests {
    @Test func temporaryNamesAreUniqueBeyondThePID() {
        let a = FileSystem.temporaryName(for: "out.json"), b = FileSystem.temporaryName(for: "out.json")
        #expect(a != b)
        let prefix = "out.json.tmp-\(getpid())-"
        #expect(a.hasPrefix(prefix))
        #expect(a.dropFirst(prefix.count).allSatisfy { $0.isHexDigit })
    }

    /// Issue 12 point 18: a report file is written a chunk at a time into its
    /// temporary file, never assembled whole; a write error stops the producer.
    @Test func reportFilesAreWrittenAChunkAtATime() throws {
        let dir = try temporaryDirectory()
        let path = dir + "/out.json"
        var emitted = 0
        var seenOnDisk: [Int] = []
        let written = FileSystem.writeAtomically(path, produce: { emit in
            for i in 0..<5 {
                #expect(emit(Array(repeating: UInt8(ascii: "a") + UInt8(i), count: 1000)))
                emitted += 1
                // Each chunk is in the temporary file before the next is made.
                let temps = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.filter { $0.hasPrefix("out.json.tmp-") } ?? []
                seenOnDisk.append(temps.first.flatMap { try? FileManager.default.attributesOfItem(atPath: dir + "/" + $0)[.size] as? Int } ?? -1)
            }
        })
        #expect(throws: Never.self) { try written.get() }
        #expect(emitted == 5)
        #expect(seenOnDisk == [1000, 2000, 3000, 4000, 5000])
        let bytes = try #require(FileManager.default.contents(atPath: path))
        #expect(Array(bytes) == (0..<5).flatMap { Array(repeating: UInt8(ascii: "a") + UInt8($0), count: 1000) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.json"])

        // A device that refuses the first chunk: emit says so, the error is the result.
        var answers: [Bool] = []
        let full = FileSystem.writeAtomically("/dev/full", produce: { emit in
            answers.append(emit([1, 2, 3]))
            answers.append(emit([4]))
        })
        #expect(answers == [false, false])
        guard case .failure(let e) = full else { Issue.record("writing /dev/full succeeded"); return }
        #expect(e.message == "No space left on device")
    }
}
