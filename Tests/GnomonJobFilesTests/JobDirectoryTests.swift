import Foundation
import GnomonJobFiles
import Testing

@Suite("Scanning a folder of job files")
struct JobDirectoryTests {
    /// A fresh temporary folder holding `files` (name to contents); names ending in `/` are folders.
    static func folder(_ files: [String: String]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gnomon-scan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, contents) in files {
            let path = "\(folder)/\(name)"
            if name.hasSuffix("/") {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } else {
                try contents.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }
        return folder
    }

    @Test("job files are found, sorted by name; other files and folders are ignored")
    func scan() throws {
        let folder = try Self.folder([
            "zeta.yaml": "tasks: { a: { run: x } }",
            "alpha.yml": "tasks: { a: { run: x } }",
            "broken.yaml": "tasks: { a: { run: x, retry: three } }",
            "notes.txt": "not a job",
            ".hidden.yaml": "tasks: {}",
            "scripts.yaml/": "",
            "scripts/": "",
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scan = JobDirectory.scan(folder)
        #expect(scan.entries.map(\.name) == ["alpha", "broken", "zeta"])
        #expect(scan.specs.map(\.name) == ["alpha", "zeta"])
        #expect(scan.problems == [])
        #expect(scan.diagnostics.map(\.description) == [
            "\(folder)/broken.yaml:1:30: tasks.a.retry: must be an integer or a mapping (got \"three\")",
        ])
    }

    @Test("two files with the same stem are both refused")
    func sameStem() throws {
        let folder = try Self.folder([
            "etl.yaml": "tasks: { a: { run: x } }",
            "etl.yml": "tasks: { a: { run: x } }",
        ])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scan = JobDirectory.scan(folder)
        #expect(scan.specs.isEmpty)
        #expect(scan.diagnostics.map(\.description) == [
            "\(folder)/etl.yaml:1:1: etl.yml also defines job \"etl\"; remove or rename one of the files",
            "\(folder)/etl.yml:1:1: etl.yaml also defines job \"etl\"; remove or rename one of the files",
        ])
    }

    @Test("a file that cannot be read as UTF-8 is reported")
    func notUTF8() throws {
        let folder = try Self.folder([:])
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data([0x74, 0x61, 0xFF, 0xFE, 0x00]).write(to: URL(fileURLWithPath: "\(folder)/bin.yaml"))
        #expect(JobDirectory.scan(folder).diagnostics.map(\.description) == [
            "\(folder)/bin.yaml:1:1: the file is not UTF-8 text; save it as UTF-8",
        ])
    }

    @Test("a missing folder is a problem of the scan, not a crash")
    func missingFolder() {
        let scan = JobDirectory.scan("/nonexistent/gnomon-jobs")
        #expect(scan.entries.isEmpty)
        #expect(scan.problems.count == 1)
        #expect(scan.problems.map(\.description) == ["/nonexistent/gnomon-jobs:1:1: cannot read the job folder: it does not exist"])
    }

    @Test("unreadable paths say why", arguments: [
        ("/nonexistent/etl.yaml", "/nonexistent/etl.yaml:1:1: cannot read the file: it does not exist"),
        ("/tmp", "/tmp:1:1: cannot read the file: it is a folder, not a file"),
    ])
    func unreadable(_ path: String, _ expected: String) {
        #expect(JobFileLoader.load(path: path).diagnostics.map(\.description) == [expected])
    }

    @Test("the repository's jobs folder scans clean")
    func repositoryJobs() {
        let scan = JobDirectory.scan("\(Fixtures.repositoryRoot)/jobs")
        #expect(scan.diagnostics.map(\.description) == [])
        #expect(scan.specs.map(\.name) == ["backup-rotate", "container-demo", "disk-report", "hello", "space-watch", "word-count"])
    }
}
