import Foundation
import GnomonApp
import GnomonTesting
import Testing

/// Every command's output and exit status, called in this process (the binary's own parsing is
/// covered by GnomonCLITests).
@Suite("Commands in-process")
struct CommandTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Foreground runs made first, of these jobs (their outcomes are not checked).
        var before: [String] = []
        let command: @Sendable (Bench) async throws -> (CommandExit, String)
        let status: CommandExit
        /// Text the output (on success) or the message (on failure) must contain.
        let says: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "validate a valid file", command: { b in
            let report = try Validation.check(paths: [b.home.jobs + "/ok.yaml"], settings: b.settings)
            return (report.valid ? .success : .failure, report.text)
        }, status: .success, says: "1 job file valid"),
        Case(name: "validate a folder holding an invalid file", command: { b in
            let report = try Validation.check(paths: [], settings: b.settings)
            return (report.valid ? .success : .failure, report.text)
        }, status: .failure, says: "1 of 3 job files invalid"),
        Case(name: "validate a missing path", command: { b in
            _ = try Validation.check(paths: [b.home.jobs + "/missing.yaml"], settings: b.settings)
            return (.success, "")
        }, status: .notFound, says: "does not exist"),
        Case(name: "run a job that succeeds", command: { try await $0.run("ok") }, status: .success, says: "run 1 succeeded"),
        Case(name: "run a job that fails", command: { try await $0.run("fails") }, status: .failure, says: "run 1 failed"),
        Case(name: "run an unknown job", command: { try await $0.run("oks") }, status: .notFound, says: "no job \"oks\""),
        Case(name: "run an invalid job", command: { try await $0.run("bad") }, status: .failure, says: "job bad is invalid"),
        Case(name: "run an unknown task", command: { try await $0.run("ok", tasks: ["nope"]) },
             status: .notFound, says: "job ok has no task \"nope\""),
        Case(name: "a --param without =", command: { try await $0.run("ok", params: ["x"]) },
             status: .usage, says: "--param \"x\" must be KEY=VALUE"),
        Case(name: "a bad --kill-grace", command: { try await $0.run("ok", killGrace: "soon") }, status: .usage, says: "--kill-grace"),
        Case(name: "runs --status bogus", command: { b in
            (.success, try RunHistory.list(job: nil, status: ["bogus"], since: nil, limit: 50, json: false, settings: b.settings))
        }, status: .usage, says: "--status bogus is not a run status"),
        Case(name: "runs with no database yet", command: { b in
            (.success, try RunHistory.list(job: nil, status: [], since: nil, limit: 50, json: false, settings: b.settings))
        }, status: .success, says: "no runs yet"),
        Case(name: "runs lists a recorded run", before: ["ok"], command: { b in
            (.success, try RunHistory.list(job: nil, status: [], since: "1d", limit: 50, json: false, settings: b.settings))
        }, status: .success, says: "succeeded"),
        Case(name: "show a recorded run", before: ["ok"], command: { b in
            (.success, try RunHistory.show(run: 1, json: false, settings: b.settings))
        }, status: .success, says: "run 1 of ok: succeeded"),
        Case(name: "show an unknown run", before: ["ok"], command: { b in
            (.success, try RunHistory.show(run: 7, json: false, settings: b.settings))
        }, status: .notFound, says: "run 7 not found"),
        Case(name: "show with no database yet", command: { b in
            (.success, try RunHistory.show(run: 1, json: true, settings: b.settings))
        }, status: .notFound, says: "no database"),
        Case(name: "logs of a task", before: ["ok"], command: { try await $0.logs(1, task: "hello") },
             status: .success, says: "hello"),
        Case(name: "logs of an unknown task", before: ["ok"], command: { try await $0.logs(1, task: "nope") },
             status: .notFound, says: "has no task \"nope\""),
        Case(name: "logs of an unknown run", before: ["ok"], command: { try await $0.logs(9, task: nil) },
             status: .notFound, says: "run 9 not found"),
        Case(name: "kill a finished run", before: ["ok"], command: { b in
            (.success, try await RunKill.kill(run: 1, wait: .seconds(1), settings: b.settings))
        }, status: .failure, says: "has already ended"),
        Case(name: "kill an unknown run", before: ["ok"], command: { b in
            (.success, try await RunKill.kill(run: 9, wait: .seconds(1), settings: b.settings))
        }, status: .notFound, says: "run 9 not found"),
        Case(name: "retry a failed run", before: ["fails"], command: { try await $0.retry(1) }, status: .failure,
             says: "run 1 failed"),
        Case(name: "retry a succeeded run", before: ["ok"], command: { try await $0.retry(1) }, status: .failure,
             says: "only failed or cancelled runs can be retried"),
        Case(name: "retry an unknown run", before: ["ok"], command: { try await $0.retry(4) }, status: .notFound,
             says: "run 4 not found"),
        Case(name: "retry with no database yet", command: { try await $0.retry(4) }, status: .notFound,
             says: "there is no database"),
        Case(name: "next of a job without a schedule", command: { b in
            (.success, try NextTimes.compute(job: "ok", cron: nil, timeZone: nil, after: nil, count: 3, settings: b.settings)
                .render(json: false))
        }, status: .failure, says: "has no schedule"),
        Case(name: "next of a bad cron expression", command: { b in
            (.success, try NextTimes.compute(job: nil, cron: "61 * * * *", timeZone: nil, after: nil, count: 3, settings: b.settings)
                .render(json: false))
        }, status: .usage, says: "61"),
        Case(name: "next with a bad --after", command: { b in
            (.success, try NextTimes.compute(job: nil, cron: "@daily", timeZone: nil, after: "soon", count: 3, settings: b.settings)
                .render(json: false))
        }, status: .usage, says: "is not an ISO 8601 instant"),
        Case(name: "next of a cron expression in a zone", command: { b in
            (.success, try NextTimes.compute(
                job: nil, cron: "30 2 * * *", timeZone: "America/New_York", after: "2026-03-07T12:00:00Z", count: 2,
                settings: b.settings).render(json: true))
        }, status: .success, says: "\"2026-03-08T03:00:00-04:00\""),
        Case(name: "graph of a job", command: { b in
            (.success, try JobGraph.render(job: "ok", format: .text, settings: b.settings))
        }, status: .success, says: "hello"),
        Case(name: "graph of a job past 200 tasks is a summary", command: { b in
            _ = try b.home.writeJob("big", "tasks:\n" + (0...200).map { "  t\($0): { run: \"true\" }\n" }.joined())
            return (.success, try JobGraph.render(job: "big", format: .text, settings: b.settings))
        }, status: .success, says: """
            job big: 201 tasks, 0 dependencies, 1 layers (more than 200 tasks: a summary, not a drawing)
            roots: 201 (no upstream); leaves: 201 (nothing waits on them)
            widest layer: layer 1, 201 tasks
            tasks per layer (a task's layer is 1 + the deepest layer it waits on):
              layer 1: 201 tasks
            draw every task with `gnomon graph big --full`
            """),
        Case(name: "graph --full of a job past 200 tasks draws every task", command: { b in
            _ = try b.home.writeJob("big", "tasks:\n" + (0...200).map { "  t\($0): { run: \"true\" }\n" }.joined())
            return (.success, try JobGraph.render(job: "big", format: .text, full: true, settings: b.settings))
        }, status: .success, says: "t199\nt200\n"),
        Case(name: "graph of an invalid job", command: { b in
            (.success, try JobGraph.render(job: "bad", format: .dot, settings: b.settings))
        }, status: .failure, says: "job bad is invalid"),
        Case(name: "jobs", command: { b in
            (.success, try JobListing.load(settings: b.settings).render(json: false))
        }, status: .success, says: "INVALID"),
        Case(name: "pause a job", command: { b in
            (.success, try PauseState.set(job: "ok", paused: true, settings: b.settings))
        }, status: .success, says: "job ok paused"),
        Case(name: "pause an unknown job", command: { b in
            (.success, try PauseState.set(job: "nope", paused: true, settings: b.settings))
        }, status: .notFound, says: "no job \"nope\""),
        Case(name: "ticks with no database yet", command: { b in
            (.success, try TickListing.list(job: "ok", limit: 10, json: false, settings: b.settings))
        }, status: .success, says: "no ticks yet"),
        Case(name: "trigger with no daemon running", command: { b in
            (.success, String(try await TriggerRun.request(job: "ok", params: [:], settings: b.settings)))
        }, status: .environment, says: "no gnomon daemon runs on"),
    ]

    @Test("each command's output and exit status", arguments: cases)
    func command(_ c: Case) async throws {
        let bench = try Bench()
        for job in c.before { _ = try await bench.run(job) }
        let outcome = await bench.outcome { try await c.command(bench) }
        #expect(outcome.status == c.status, "\(outcome)")
        #expect(outcome.text.contains(c.says), "\(outcome)")
    }

    @Test("retry with no database creates none")
    func retryCreatesNoDatabase() async throws {
        let bench = try Bench()
        _ = await bench.outcome { try await bench.retry(1) }
        #expect(!FileManager.default.fileExists(atPath: bench.settings.databasePath))
    }
}
