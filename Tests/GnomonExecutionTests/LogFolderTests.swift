import Foundation
import Glibc
import GnomonCore
@testable import GnomonExecution
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

    /// `makeFolder` makes each folder under a random name and renames it into place (so ext4 does
    /// not start every home's run 1 at the same block group); whatever happens, no draft stays.
    struct DraftCase: Sendable, CustomTestStringConvertible {
        let name: String
        /// Folders made first, relative to the scratch folder.
        let existing: [String]
        let folder: String
        let code: Int32
        var testDescription: String { name }
    }

    static let draftCases: [DraftCase] = [
        DraftCase(name: "a new folder is made, and its draft does not stay", existing: ["logs"], folder: "logs/7", code: 0),
        DraftCase(name: "a folder that exists: EEXIST, its content kept", existing: ["logs", "logs/7", "logs/7/kept"], folder: "logs/7", code: EEXIST),
        DraftCase(name: "a missing parent: ENOENT", existing: [], folder: "logs/7", code: ENOENT),
    ]

    @Test("making a folder by way of a draft", arguments: draftCases)
    func draft(_ testCase: DraftCase) throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        for folder in testCase.existing { #expect(mkdir(scratch.file(folder), 0o755) == 0) }
        #expect(AttemptLog.makeFolder(scratch.file(testCase.folder)) == testCase.code)
        var info = stat()
        #expect((stat(scratch.file(testCase.folder), &info) == 0 && info.st_mode & S_IFMT == S_IFDIR) == (testCase.code != ENOENT))
        if testCase.existing.contains("logs/7/kept") { #expect(access(scratch.file("logs/7/kept"), F_OK) == 0) }
        let parent = (try? FileManager.default.contentsOfDirectory(atPath: scratch.file("logs"))) ?? []
        #expect(!parent.contains { $0.hasPrefix(".gnomon-new-") }, "\(parent)")
    }
}
