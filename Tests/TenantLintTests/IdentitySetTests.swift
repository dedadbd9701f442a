import Foundation
import Testing
@testable import TenantLint
import TenantLintTestSupport

/// `Workspace.IdentitySet`: the files a walk has taken, a list while there
/// are few, a `Set` past `listLimit`, with the same answers either way.
@Suite struct IdentitySetTests {
    static func id(_ n: Int) -> FileSystem.Identity { FileSystem.Identity(device: 7, inode: UInt64(n)) }

    @Test func aListUpToTheLimitThenASet() {
        var set = Workspace.IdentitySet()
        func insert(_ id: FileSystem.Identity) -> Bool { set.insert(id) }
        #expect(Workspace.IdentitySet.listLimit == 32)
        #expect(insert(Self.id(1)))
        #expect(!insert(Self.id(1)))
        #expect(insert(FileSystem.Identity(device: 8, inode: 1)))
        for n in 2...31 { #expect(insert(Self.id(n))) }
        #expect(set.few.count == 32)
        #expect(set.many == nil)
        #expect(!insert(Self.id(31)))
        #expect(insert(Self.id(32)))
        #expect(set.few.isEmpty)
        #expect(set.many?.count == 33)
        for n in 1...32 { #expect(!insert(Self.id(n))) }
        #expect(!insert(FileSystem.Identity(device: 8, inode: 1)))
        #expect(insert(Self.id(33)))
        #expect(set.many?.count == 34)
    }

    @Test func aFileNamedTwiceIsTakenOnceWithFewOrManyFiles() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for n in 0..<40 {
            try "a: \(n)\n".write(toFile: dir + "/f\(n < 10 ? "0" : "")\(n).yaml", atomically: true, encoding: .utf8)
        }
        try FileManager.default.createSymbolicLink(atPath: dir + "/link.yml", withDestinationPath: dir + "/f03.yaml")
        let workspace = Workspace(maxFileSize: 1 << 20)
        let few = workspace.collectAll([dir + "/f03.yaml", dir + "/link.yml", dir + "/f04.yaml", dir + "/f03.yaml"])
        #expect(few.files == [dir + "/f03.yaml", dir + "/f04.yaml"])
        #expect(few.errors.isEmpty)
        // 40 files and a link to one of them: the link comes after the Set took over.
        let many = workspace.collectAll([dir, dir + "/f39.yaml"])
        #expect(many.files.count == 40)
        #expect(many.files.first == dir + "/f00.yaml")
        #expect(many.files.last == dir + "/f39.yaml")
        #expect(!many.files.contains(dir + "/link.yml"))
    }
}
