import ArgumentParser
import BenchCorpus
import TenantLint

/// `bench-corpus DIR --tenants N` (`swift run bench-corpus`): writes the
/// synthetic, clean corpus that scripts/bench measures. Not part of the
/// `tenantlint` executable.
@main
struct BenchCorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-corpus",
        abstract: "Write a synthetic, clean manifest corpus for benchmarks.",
        discussion: """
        Writes N Tenant files under DIR/tenants and N/2 Collaboration files under \
        DIR/collaborations. The corpus lints with no findings at --today \(CorpusGenerator.today). \
        The same N and seed always give the same files.
        """
    )

    @Argument(help: ArgumentHelp("The directory to write (created if missing).", valueName: "dir"))
    var directory: String

    @Option(help: ArgumentHelp("Number of Tenant files.", valueName: "n"))
    var tenants: Int = 200

    @Option(help: ArgumentHelp("Seed of the generator.", valueName: "n"))
    var seed: UInt64 = 1

    func validate() throws {
        if tenants < 1 { throw ValidationError("--tenants must be at least 1") }
    }

    func run() throws {
        let generator = CorpusGenerator(tenants: tenants, seed: seed)
        let dir = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        FileSystem.makeDirectories(dir + "/tenants")
        FileSystem.makeDirectories(dir + "/collaborations")
        var bytes = 0
        for i in 0..<generator.fileCount {
            let file = generator.file(i)
            let data = Array(file.text.utf8)
            bytes += data.count
            if case .failure(let e) = FileSystem.writeAtomically(dir + "/" + file.path, data) {
                throw ValidationError("cannot write \(dir)/\(file.path): \(e.message)")
            }
        }
        print("wrote \(generator.fileCount) files (\(bytes) bytes) to \(dir); lint with --today \(CorpusGenerator.today)")
    }
}
