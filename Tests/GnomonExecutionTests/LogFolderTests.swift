import Glibc
import GnomonCore
import GnomonExecution
import GnomonTesting
import Testing

/// Where a run's log folder is made: its parent is marked as the top of a hierarchy (`chattr
/// +T`), so that ext4 places the folder, and the logs in it, away from its parent's block group.
@Suite("Log folders")
struct LogFolderTests {
    @Test("making a log's folders marks the parent of each new folder +T where the file system has it; the attempt runs either way")
    func parentMarked() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let launch = shell("echo hi", in: scratch, log: "logs/job/7/t.1.log")
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == .exited(code: 0))
        #expect(ProcessProbe.readText(launch.logPath) == "hi\n")

        // ext2, ext3 and ext4 share one magic number, which stat names "ext2/ext3".
        let kind = try await ProcessSpawner.shared.runCapturingOutput(["stat", "-f", "-c", "%T", scratch.path], environment: testEnvironment)
        let attributes = try await ProcessSpawner.shared.runCapturingOutput(
            ["lsattr", "-d", scratch.file("logs/job"), scratch.file("logs")], environment: testEnvironment)
        if kind.outputText.hasPrefix("ext2") {
            let flags = attributes.outputText.split(separator: "\n").map { $0.split(separator: " ").first ?? "" }
            #expect(flags.count == 2 && flags.allSatisfy { $0.contains("T") }, "\(attributes.outputText)")
        } else {
            // tmpfs and others have no such attribute: nothing to see, and nothing failed.
            #expect(attributes.status.shellCode != 0 || !attributes.outputText.contains("T"), "\(attributes.outputText)")
        }
    }
}
