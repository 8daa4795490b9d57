import Foundation
import GnomonJobFiles
import Testing
@testable import GnomonDaemon

/// The daemon's watcher reads the jobs folder by `JobDirectory`'s rules, with its messages: what
/// it loads and refuses is what `gnomon validate` and `gnomon jobs` see.
@Suite("The watcher follows the job-folder rules")
struct JobWatcherRuleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// File name to contents; a value starting with `->` makes a symbolic link to the rest.
        let files: [String: String]
        var testDescription: String { name }
    }

    static let valid = "tasks: { a: { run: x } }"

    static let cases: [Case] = [
        Case(name: "valid, invalid and ignored files", files: [
            "a.yaml": valid, "b.yml": "tasks: { a: { run: x, retry: three } }", "notes.txt": "x", ".c.yaml": valid,
        ]),
        Case(name: "two files for one name", files: ["a.yaml": valid, "a.yml": valid]),
        Case(name: "links: to a file, and to nowhere", files: ["real.yaml": valid, "a.yaml": "->real.yaml", "b.yaml": "->missing.yaml"]),
        Case(name: "a name that is not a job name", files: ["Bad.yaml": valid]),
    ]

    @Test("each job loads or is refused as the catalog says, with the same problems", arguments: cases)
    func sameAsTheCatalog(_ c: Case) throws {
        let folder = NSTemporaryDirectory() + "gnomon-watch-rules-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in c.files {
            if text.hasPrefix("->") {
                try FileManager.default.createSymbolicLink(atPath: "\(folder)/\(name)", withDestinationPath: String(text.dropFirst(2)))
            } else {
                try text.write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
            }
        }
        var watched: [String: [String]] = [:]
        for change in JobWatcher(directory: folder).poll(everything: true) {
            switch change {
            case let .loaded(name, _, _): watched[name] = []
            case let .invalid(name, _, problems): watched[name] = problems.map(\.description)
            case .removed: Issue.record("nothing was there before")
            }
        }
        let scanned = Dictionary(grouping: JobDirectory.scan(folder).entries, by: \.name)
            .mapValues { $0.flatMap(\.result.diagnostics).map(\.description) }
        #expect(watched == scanned)
    }

    @Test("a folder that cannot be read is reported as the catalog reports it")
    func unreadableFolder() {
        let folder = "/nonexistent/gnomon-jobs"
        let watcher = JobWatcher(directory: folder)
        #expect(watcher.poll(everything: true).isEmpty)
        #expect(watcher.folderProblem == JobDirectory.scan(folder).problems.first)
    }
}
