import Foundation
import GnomonCore
import Logging
import Testing
@testable import GnomonDaemon

/// The daemon's parts that need no daemon: its log lines, its file watcher, its lock.
struct DaemonPartsTests {
    struct LogCase: CustomTestStringConvertible, Sendable {
        let name: String
        let message: String
        let metadata: [String: String]
        let expected: String
        var testDescription: String { name }
    }

    static let logCases: [LogCase] = [
        LogCase(name: "no metadata", message: "daemon started", metadata: [:],
                expected: "2026-11-26T18:36:26.439Z info daemon started"),
        LogCase(name: "job, run, task and attempt come first in that order, the rest sorted",
                message: "attempt ended",
                metadata: ["outcome": "exit", "attempt": "2", "zeta": "z", "task": "load", "run": "41", "job": "etl"],
                expected: "2026-11-26T18:36:26.439Z info attempt ended job=etl run=41 task=load attempt=2 outcome=exit zeta=z"),
        LogCase(name: "values with spaces, quotes or newlines are quoted and escaped",
                message: "attempt ended", metadata: ["outcome": "exit 3", "reason": "said \"no\"\nthen left"],
                expected: #"2026-11-26T18:36:26.439Z info attempt ended outcome="exit 3" reason="said \"no\"\nthen left""#),
        LogCase(name: "an empty value is quoted", message: "x", metadata: ["detail": ""],
                expected: #"2026-11-26T18:36:26.439Z info x detail="""#),
    ]

    @Test(arguments: logCases)
    func logLine(_ c: LogCase) {
        let time = Date(timeIntervalSince1970: 1_795_718_186.439)
        let line = DaemonLogHandler.format(
            time: time, level: .info, message: c.message, metadata: c.metadata.mapValues { .string($0) })
        #expect(line == c.expected)
    }

    @Test
    func watcherSeesAddedEditedBrokenTwinnedAndRemovedFiles() throws {
        let folder = NSTemporaryDirectory() + "gnomon-watch-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let valid = { (word: String) in "tasks:\n  a: { run: \"echo \(word)\" }\n" }
        func write(_ file: String, _ text: String) throws {
            try text.write(toFile: "\(folder)/\(file)", atomically: true, encoding: .utf8)
        }
        func describe(_ changes: [JobWatcher.Change]) -> [String] {
            changes.map { change in
                switch change {
                case let .loaded(name, _, job): return "loaded \(name) \(job.spec.tasks[0].action)"
                case let .invalid(name, _, problems): return "invalid \(name) line \(problems[0].line)"
                case let .removed(name): return "removed \(name)"
                }
            }
        }
        try write("a.yaml", valid("one"))
        try write("notes.txt", "not a job")
        try FileManager.default.createDirectory(atPath: "\(folder)/scripts.yaml", withIntermediateDirectories: true)
        let watcher = JobWatcher(directory: folder)
        #expect(describe(watcher.poll()) == ["loaded a shell(\"echo one\")"])
        #expect(watcher.poll().isEmpty, "nothing changed, nothing reloaded")

        try write("a.yaml", valid("two"))
        try write("b.yaml", "tasks:\n  a: { run: \"x\", retry: lots }\n")
        #expect(describe(watcher.poll()) == ["loaded a shell(\"echo two\")", "invalid b line 2"])

        try write("a.yml", valid("three"))
        #expect(describe(watcher.poll()) == ["invalid a line 1"], "two files for one job are both refused")
        try FileManager.default.removeItem(atPath: "\(folder)/a.yml")
        try FileManager.default.removeItem(atPath: "\(folder)/b.yaml")
        #expect(describe(watcher.poll()) == ["loaded a shell(\"echo two\")", "removed b"])
        #expect(describe(watcher.poll(everything: true)) == ["loaded a shell(\"echo two\")"])
    }

    @Test
    func theLockAdmitsOneDaemonAndNamesIt() throws {
        let home = NSTemporaryDirectory() + "gnomon-lock-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: home) }
        #expect(DaemonLock.runningDaemon(home: home) == nil)
        let lock = try DaemonLock.acquire(home: home, pid: getpid())
        #expect(DaemonLock.runningDaemon(home: home) == getpid())
        // flock locks belong to the open file, so a second open in this process conflicts too.
        #expect {
            _ = try DaemonLock.acquire(home: home, retries: 0)
        } throws: { error in
            guard case DaemonError.alreadyRunning(let message) = error else { return false }
            return message.contains("process \(getpid())") && message.contains("daemon.lock")
        }
        lock.release()
        #expect(DaemonLock.runningDaemon(home: home) == nil)
        #expect(!FileManager.default.fileExists(atPath: home + "/daemon.pid"))
    }
}
