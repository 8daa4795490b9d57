import Foundation
import GnomonStore
import GnomonTesting
import Testing

/// The documented exit codes: 0 success, 1 failure, 2 usage, 3 not found, 5 cancelled.
@Suite("Exit codes")
struct ExitCodeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Commands run first (their exit codes are not checked).
        var before: [[String]] = []
        let arguments: [String]
        let status: Int32
        /// Text standard error must contain (for failures) or standard output (for successes).
        var says: String? = nil
        /// Where `says` is looked for when not the default above: the output for a failed
        /// run (its progress) or an invalid file (its problems).
        var saysOnStdout: Bool? = nil
        /// Add this test's `--jobs` and `--home` after the subcommand.
        var global = true
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "--version", arguments: ["--version"], status: 0, says: "0.1.0", global: false),
        Case(name: "validate a valid file", arguments: ["validate", "jobs/ok.yaml"], status: 0, says: "1 job file valid"),
        Case(name: "validate a folder holding an invalid file", arguments: ["validate"], status: 1, says: "1 of 3 job files invalid", saysOnStdout: true),
        Case(name: "validate a missing path", arguments: ["validate", "jobs/missing.yaml"], status: 3, says: "does not exist"),
        Case(name: "run a job that succeeds", arguments: ["run", "ok"], status: 0, says: "run 1 succeeded"),
        Case(name: "run a job that fails", arguments: ["run", "fails"], status: 1, says: "run 1 failed", saysOnStdout: true),
        Case(name: "run an unknown job", arguments: ["run", "oks"], status: 3, says: "no job \"oks\""),
        Case(name: "run an invalid job", arguments: ["run", "bad"], status: 1, says: "job bad is invalid"),
        Case(name: "run an unknown task", arguments: ["run", "ok", "--task", "nope"], status: 3, says: "job ok has no task \"nope\""),
        Case(name: "an unknown option", arguments: ["run", "ok", "--bogus"], status: 2, says: "Unknown option '--bogus'"),
        Case(name: "an unknown subcommand", arguments: ["frobnicate"], status: 2, says: "frobnicate", global: false),
        Case(name: "--workers 0", arguments: ["run", "ok", "--workers", "0"], status: 2, says: "--workers must be 1 or more (got 0)"),
        Case(name: "a --param without =", arguments: ["run", "ok", "--param", "x"], status: 2, says: "--param \"x\" must be KEY=VALUE"),
        Case(name: "a bad --kill-grace", arguments: ["run", "ok", "--kill-grace", "soon"], status: 2, says: "--kill-grace"),
        Case(name: "runs --limit 0", arguments: ["runs", "--limit", "0"], status: 2, says: "--limit must be 1 or more"),
        Case(name: "runs --status bogus", before: [["run", "ok"]], arguments: ["runs", "--status", "bogus"], status: 2,
             says: "--status bogus is not a run status"),
        Case(name: "runs with no database yet", arguments: ["runs"], status: 0, says: "no runs yet"),
        Case(name: "show a recorded run", before: [["run", "ok"]], arguments: ["show", "1"], status: 0, says: "run 1 of ok: succeeded"),
        Case(name: "show an unknown run", before: [["run", "ok"]], arguments: ["show", "7"], status: 3, says: "run 7 not found"),
        Case(name: "show with no database yet", arguments: ["show", "1"], status: 3, says: "no database"),
        Case(name: "show a run id that is not a number", arguments: ["show", "one"], status: 2),
        Case(name: "logs of a task", before: [["run", "ok"]], arguments: ["logs", "1", "hello"], status: 0, says: "hello"),
        Case(name: "logs of an unknown task", before: [["run", "ok"]], arguments: ["logs", "1", "nope"], status: 3, says: "has no task \"nope\""),
        Case(name: "kill a finished run", before: [["run", "ok"]], arguments: ["kill", "1"], status: 1, says: "has already ended"),
        Case(name: "kill an unknown run", before: [["run", "ok"]], arguments: ["kill", "9"], status: 3, says: "run 9 not found"),
        Case(name: "retry a succeeded run", before: [["run", "ok"]], arguments: ["retry", "1"], status: 1,
             says: "only failed or cancelled runs can be retried"),
        Case(name: "retry an unknown run", before: [["run", "ok"]], arguments: ["retry", "4"], status: 3, says: "run 4 not found"),
        Case(name: "next of a job without a schedule", arguments: ["next", "ok"], status: 1, says: "has no schedule"),
        Case(name: "next of a bad cron expression", arguments: ["next", "--cron", "61 * * * *"], status: 2, says: "61"),
        Case(name: "next with a bad --after", arguments: ["next", "--cron", "@daily", "--after", "soon"], status: 2,
             says: "is not an ISO 8601 instant"),
        Case(name: "graph of a job", arguments: ["graph", "ok"], status: 0, says: "hello"),
        Case(name: "jobs", arguments: ["jobs"], status: 0, says: "INVALID"),
    ]

    @Test("each command exits with its documented code", arguments: cases)
    func exitCode(_ c: Case) async throws {
        let home = try TemporaryHome()
        try home.writeJob("ok", "tasks:\n  hello:\n    run: echo hello\n")
        try home.writeJob("fails", "tasks:\n  boom:\n    run: exit 3\n")
        try home.writeJob("bad", "tasks:\n  load:\n    run: echo hi\n    retry:\n      limit: -1\n")
        let cli = CLI(home: home)
        for command in c.before { _ = try await cli.run(command) }

        let result = try await cli.run(c.arguments, global: c.global)
        #expect(result.status == c.status, "\(result)")
        if let says = c.says {
            let text = c.saysOnStdout ?? (c.status == 0) ? result.stdout : result.stderr
            #expect(text.contains(says), "\(result)")
        }
        if c.status == 0 {
            #expect(result.stderr.isEmpty, "\(result)")
        } else if c.saysOnStdout == nil {
            #expect(!result.stderr.isEmpty, "every failure explains itself on stderr: \(result)")
        }
    }
}

/// `gnomon kill` of a run whose runner does not answer gives up after `--wait` with exit 6.
@Suite("gnomon kill without a runner")
struct KillTimeoutTests {
    @Test("a run left running by a runner that is gone: exit 6 and the reason")
    func runnerGone() async throws {
        let home = try TemporaryHome()
        try home.writeJob("ok", "tasks:\n  hello:\n    run: echo hello\n")
        let store = try home.openStore()
        let job = JobBuilder("ok", directory: home.jobs).task("hello", run: "echo hello").build()
        // A pid that cannot be a live process (above the kernel's pid_max of 2^22).
        let id = try store.createRun(NewRun(
            job: "ok", trigger: .manual, scheduledAt: Date(), createdAt: Date(), status: .running,
            snapshot: job, runnerPID: 4_999_999, runnerInstance: "gone", tasks: [NewTask(name: "hello")]))

        let result = try await CLI(home: home).run(["kill", String(id), "--wait", "300ms"])
        #expect(result.status == 6, "\(result)")
        #expect(result.stderr.contains("run \(id) is marked running but its runner (pid 4999999) is gone"), "\(result)")
        // The request stays recorded for whoever picks the run up.
        #expect(try store.cancelRequest(run: id)?.hasPrefix("killed by gnomon kill") == true)
    }
}
