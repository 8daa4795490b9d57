import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing
@testable import GnomonDaemon

/// Job files edited, broken, fixed, added and removed under a daemon on a manual clock.
///
/// Each case starts with `edit` (`@every 1s`, `echo v1`) and `other` (`@every 1s`); at 1.5 s the
/// files change, and the daemon notices at its next look at the folder (2 s: a fire time at 2 s is
/// decided first, with what it knew) or at once on SIGHUP. The clock then runs to 3.5 s.
@Suite(.timeLimit(.minutes(2)))
struct DaemonReloadTests {
    enum Change: Sendable {
        case write(String, String)
        case remove(String)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let changes: [Change]
        var sighup = false
        /// Changes made at 2.5 s, then SIGHUP.
        var then: [Change] = []
        /// Each job's runs: `second command`.
        let runs: [String: [String]]
        /// Text in the daemon's log.
        var logs: [String] = []
        /// The job-file events recorded: `TYPE JOB`.
        var fileEvents: [String] = []
        var testDescription: String { name }
    }

    static func job(_ word: String, schedule: String = "@every 1s") -> String {
        "schedule: \"\(schedule)\"\ntasks:\n  a: { run: \"echo \(word)\" }\n"
    }

    static let cases: [Case] = [
        Case(name: "an edited file is used from the first fire time after the folder's next look",
             changes: [.write("edit", job("v2"))],
             runs: ["edit": ["1 echo v1", "2 echo v1", "3 echo v2"], "other": ["1 echo o", "2 echo o", "3 echo o"]],
             logs: ["job reloaded job=edit"]),
        Case(name: "SIGHUP reloads every file at once",
             changes: [.write("edit", job("v5"))], sighup: true,
             runs: ["edit": ["1 echo v1", "2 echo v5", "3 echo v5"], "other": ["1 echo o", "2 echo o", "3 echo o"]],
             logs: ["SIGHUP: reloading every job file", "job reloaded job=edit"]),
        Case(name: "a broken file is logged with file:line and the job keeps its last valid definition",
             changes: [.write("edit", "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"echo v3\", retry: lots }\n")],
             runs: ["edit": ["1 echo v1", "2 echo v1", "3 echo v1"], "other": ["1 echo o", "2 echo o", "3 echo o"]],
             logs: ["edit.yaml:3:", "job file is invalid; the job keeps its last valid definition until it is fixed"],
             fileEvents: ["job_invalid edit"]),
        Case(name: "a broken file, fixed, is used again",
             changes: [.write("edit", "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"echo v3\", retry: lots }\n")],
             then: [.write("edit", job("v4"))],
             runs: ["edit": ["1 echo v1", "2 echo v1", "3 echo v4"]],
             logs: ["edit.yaml:3:", "job file fixed and reloaded job=edit"],
             fileEvents: ["job_invalid edit", "job_valid edit"]),
        Case(name: "an added file is scheduled from the moment it is seen",
             changes: [.write("added", job("a"))],
             runs: ["edit": ["1 echo v1", "2 echo v1", "3 echo v1"], "added": ["3 echo a"]],
             logs: ["job added job=added"]),
        Case(name: "a removed file stops its schedule",
             changes: [.remove("other")],
             runs: ["edit": ["1 echo v1", "2 echo v1", "3 echo v1"], "other": ["1 echo o", "2 echo o"]],
             logs: ["job file removed; its running runs finish job=other"]),
        Case(name: "a changed schedule starts from the change",
             changes: [.write("edit", job("v6", schedule: "@every 3s"))],
             runs: ["edit": ["1 echo v1", "2 echo v1", "3 echo v6"]],
             logs: ["schedule changed; it starts from now job=edit"]),
    ]

    @Test(arguments: cases)
    func reload(_ c: Case) async throws {
        let d = try ClockedDaemon()
        try d.write(job: "edit", Self.job("v1"))
        try d.write(job: "other", Self.job("o"))
        try await d.start()
        try await d.advance(to: ClockedDaemon.at(1.5))
        try Self.apply(c.changes, to: d)
        if c.sighup { try await Self.sighup(d, doneWhenLogged: try #require(c.logs.last)) }
        if !c.then.isEmpty {
            try await d.advance(to: ClockedDaemon.at(2.5))
            try Self.apply(c.then, to: d)
            try await Self.sighup(d, doneWhenLogged: try #require(c.logs.last))
        }
        try await d.advance(to: ClockedDaemon.at(3.5))
        try await d.stop()
        for (job, expected) in c.runs {
            let runs = try d.runs(of: job)
            let got = runs.map { "\(Int($0.summary.scheduledAt.timeIntervalSince(ClockedDaemon.start))) \(Self.command($0))" }
            #expect(got == expected, "job \(job):\n\(d.logs.text)")
            for run in runs {
                let printed = Self.command(run).dropFirst("echo ".count) + "\n"
                #expect(run.attempts.allSatisfy { d.output($0) == printed }, "run \(run.id) did not print \(printed)")
            }
        }
        for line in c.logs {
            #expect(d.logs.contains(line), "no log line says \"\(line)\":\n\(d.logs.text)")
        }
        let fileEvents = try d.store().events(after: 0, limit: 10_000).filter { $0.type == .jobInvalid || $0.type == .jobValid }
        #expect(fileEvents.map { "\($0.type.rawValue) \($0.job)" } == c.fileEvents)
        #expect(fileEvents.filter { $0.type == .jobInvalid }.allSatisfy { $0.detail?.contains("edit.yaml:3:") == true })
    }

    static func apply(_ changes: [Change], to d: ClockedDaemon) throws {
        for change in changes {
            switch change {
            case let .write(name, text): try d.write(job: name, text)
            case let .remove(name): try d.remove(job: name)
            }
        }
    }

    /// Posts what SIGHUP posts and waits for the reload's log line (the reload happens in the turn
    /// after the message).
    static func sighup(_ d: ClockedDaemon, doneWhenLogged line: String) async throws {
        d.post(.reload)
        #expect(await eventually(within: TestTiming.patience) { d.logs.contains(line) }, "\(d.logs.text)")
    }

    /// The shell line of the run's one task, from the snapshot it ran with.
    static func command(_ run: RunDetail) -> String {
        guard case .shell(let line) = run.snapshot.tasks.first?.action else { return "?" }
        return line
    }
}
