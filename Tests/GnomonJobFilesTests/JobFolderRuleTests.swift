import Foundation
import GnomonJobFiles
import Testing

/// Which entries of a jobs folder are job files, and what each gives: the rules the commands'
/// catalog and the daemon's watcher share through `JobDirectory`.
@Suite("Job-folder rules")
struct JobFolderRuleTests {
    /// One entry to put in the folder.
    enum Item: Sendable {
        case file(String, String)
        case folder(String)
        case link(String, to: String)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let items: [Item]
        /// Each job's name and the start of its first problem (`nil` when it loaded).
        let jobs: [String: String?]
        var testDescription: String { name }
    }

    static let valid = "tasks: { a: { run: x } }"

    static let cases: [Case] = [
        Case(name: "NAME.yaml and NAME.yml are jobs", items: [.file("a.yaml", valid), .file("b.yml", valid)],
             jobs: ["a": nil, "b": nil]),
        Case(name: "other extensions are ignored", items: [.file("notes.txt", "x"), .file("a.yaml.bak", valid), .file("a.json", "{}")],
             jobs: [:]),
        Case(name: "hidden files are ignored", items: [.file(".a.yaml", valid), .file(".yaml", valid)], jobs: [:]),
        Case(name: "subfolders are ignored, whatever their name", items: [.folder("scripts"), .folder("x.yaml")], jobs: [:]),
        Case(name: "a name that is not a job name is loaded and refused",
             items: [.file("Bad Name.yaml", valid)], jobs: ["Bad Name": "the job's name comes from its file name"]),
        Case(name: "two files for one name are both refused",
             items: [.file("a.yaml", valid), .file("a.yml", valid)], jobs: ["a": "a.yml also defines job \"a\""]),
        Case(name: "a link to a file counts as that file", items: [.folder("real"), .file("real/x.yaml", valid), .link("a.yaml", to: "real/x.yaml")],
             jobs: ["a": nil]),
        Case(name: "a link to a folder is ignored", items: [.folder("real"), .link("a.yaml", to: "real")], jobs: [:]),
        Case(name: "a link that points nowhere is a job file that cannot be read",
             items: [.link("a.yaml", to: "missing.yaml")],
             jobs: ["a": "cannot read the file: it is a symbolic link to missing.yaml, which does not exist"]),
        Case(name: "an invalid file is a job with its problems", items: [.file("a.yaml", "tasks: { a: { run: x, retry: three } }")],
             jobs: ["a": "must be an integer or a mapping"]),
    ]

    static func folder(_ items: [Item]) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gnomon-rules-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for item in items {
            switch item {
            case let .file(name, text): try text.write(toFile: "\(folder)/\(name)", atomically: true, encoding: .utf8)
            case let .folder(name): try FileManager.default.createDirectory(atPath: "\(folder)/\(name)", withIntermediateDirectories: true)
            case let .link(name, target): try FileManager.default.createSymbolicLink(atPath: "\(folder)/\(name)", withDestinationPath: target)
            }
        }
        return folder
    }

    @Test("which entries are jobs, and what each gives", arguments: cases)
    func rules(_ c: Case) throws {
        let folder = try Self.folder(c.items)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let scan = JobDirectory.scan(folder)
        #expect(scan.problems == [])
        var found: [String: String?] = [:]
        for entry in scan.entries where found[entry.name] == nil {
            found[entry.name] = .some(entry.result.diagnostics.first?.message)
        }
        #expect(Set(found.keys) == Set(c.jobs.keys))
        for (name, expected) in c.jobs {
            let message = found[name] ?? nil
            if let expected {
                #expect(message?.hasPrefix(expected) == true, "\(name): \(message ?? "loaded")")
            } else {
                #expect(message == nil, "\(name): \(message ?? "")")
            }
        }
        // Looking up one job by name follows the same rules without listing the folder.
        for name in c.jobs.keys {
            #expect(JobDirectory.files(forJob: name, in: folder).map(\.path) == scan.entries.filter { $0.name == name }.map(\.path))
        }
    }

    @Test("a folder that cannot be read says why", arguments: ["it does not exist", "it is a file, not a folder"])
    func unreadable(_ reason: String) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("gnomon-rules-\(UUID().uuidString)").path
        if reason.hasPrefix("it is a file") { try "x".write(toFile: path, atomically: true, encoding: .utf8) }
        defer { try? FileManager.default.removeItem(atPath: path) }
        let expected = "\(path):1:1: cannot read the job folder: \(reason)"
        #expect(JobDirectory.scan(path).problems.map(\.description) == [expected])
        if case .failure(let problem) = JobDirectory.files(in: path) {
            #expect(problem.description == expected)
        } else {
            Issue.record("\(path) was listed")
        }
    }
}
