import Foundation
import GnomonTesting
import Testing

/// `--json` output is for scripts: every key is always present (null when it has no value), so
/// the key sets are pinned here. Changing one is a breaking change to document in Docs/cli.md.
@Suite("JSON output")
struct JSONShapeTests {
    static let runKeys = [
        "cancel_reason", "cancel_requested_at", "created_at", "finished_at", "id", "job", "reason",
        "runner_instance", "runner_pid", "scheduled_at", "started_at", "status", "task_counts", "trigger",
    ]
    static let showKeys = (runKeys + ["attempts", "params", "snapshot", "tasks"]).sorted()
    static let taskKeys = ["attempts", "name", "reason", "retry_at", "status", "updated_at"]
    static let attemptKeys = [
        "container_name", "ended_at", "exit_code", "log_path", "number", "outcome", "outputs", "pgid", "pid", "reason",
        "runner_instance", "signal", "slurm", "started_at", "task",
    ]
    static let jobKeys = [
        "last_run", "name", "next_fire_time", "path", "paused", "problem", "problems", "schedule", "timezone", "valid",
    ]
    static let lastRunKeys = ["at", "id", "status"]

    /// A home with a run that failed once and was retried: one succeeded and one failed attempt.
    static func homeWithRun() async throws -> (TemporaryHome, CLI) {
        let home = try TemporaryHome()
        try home.writeJob("etl", """
            schedule: {cron: "30 2 * * *", timezone: Europe/Paris}
            tasks:
              extract:
                run: echo extracted
              load:
                run: '[ "$GNOMON_ATTEMPT" -ge 2 ] || exit 3'
                depends_on: [extract]
                retry: {limit: 1, delay: 10ms}
            """)
        try home.writeJob("manual", "tasks:\n  hello:\n    run: echo hello\n")
        try home.writeJob("broken", "tasks:\n  hello:\n    run: echo hi\n    timeout: soon\n")
        let cli = CLI(home: home)
        let run = try await cli.run(["run", "etl", "--param", "day=2026-11-26"])
        #expect(run.status == 0, "\(run)")
        return (home, cli)
    }

    @Test("gnomon runs --json: an array of runs with pinned keys")
    func runs() async throws {
        let (_, cli) = try await Self.homeWithRun()
        let result = try await cli.run(["runs", "--json"])
        #expect(result.status == 0, "\(result)")
        let runs = try #require(try result.json() as? [Any])
        #expect(runs.count == 1)
        let run = try #require(runs.first as? [String: Any])
        #expect(keys(run) == Self.runKeys)
        #expect(run["id"] as? Int == 1)
        #expect(run["job"] as? String == "etl")
        #expect(run["status"] as? String == "succeeded")
        #expect(run["trigger"] as? String == "manual")
        #expect(run["reason"] is NSNull)
        #expect(run["task_counts"] as? [String: Int] == ["succeeded": 2])
        #expect((run["started_at"] as? String)?.hasSuffix("Z") == true)

        let none = try await cli.run(["runs", "--json", "--status", "failed"])
        #expect((try none.json() as? [Any])?.isEmpty == true, "\(none)")
    }

    @Test("gnomon show --json: the run's keys plus params, snapshot, tasks and attempts")
    func show() async throws {
        let (_, cli) = try await Self.homeWithRun()
        let result = try await cli.run(["show", "1", "--json"])
        #expect(result.status == 0, "\(result)")
        let run = try #require(try result.json() as? [String: Any])
        #expect(keys(run) == Self.showKeys)
        #expect(run["params"] as? [String: String] == ["day": "2026-11-26"])
        let tasks = try #require(run["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["name"] as? String } == ["extract", "load"])
        for task in tasks { #expect(keys(task) == Self.taskKeys) }
        #expect(tasks.last?["attempts"] as? Int == 2)
        let attempts = try #require(run["attempts"] as? [[String: Any]])
        #expect(attempts.count == 3)
        for attempt in attempts { #expect(keys(attempt) == Self.attemptKeys) }
        let load = attempts.filter { $0["task"] as? String == "load" }
        #expect(load.map { $0["outcome"] as? String } == ["exited", "exited"])
        #expect(load.map { $0["exit_code"] as? Int } == [3, 0])
        #expect(load.allSatisfy { $0["signal"] is NSNull && $0["reason"] is NSNull && $0["container_name"] is NSNull })
        let snapshot = try #require(run["snapshot"] as? [String: Any])
        #expect(snapshot["name"] as? String == "etl")
    }

    @Test("gnomon jobs --json: one object per job file, every key present")
    func jobs() async throws {
        let (_, cli) = try await Self.homeWithRun()
        let result = try await cli.run(["jobs", "--json"])
        #expect(result.status == 0, "\(result)")
        let rows = try #require(try result.json() as? [[String: Any]])
        #expect(rows.map { $0["name"] as? String } == ["broken", "etl", "manual"])
        for row in rows { #expect(keys(row) == Self.jobKeys, "\(row)") }
        let byName = Dictionary(uniqueKeysWithValues: rows.map { ($0["name"] as? String ?? "", $0) })

        let etl = try #require(byName["etl"])
        #expect(etl["valid"] as? Bool == true)
        #expect(etl["schedule"] as? String == "30 2 * * *")
        #expect(etl["timezone"] as? String == "Europe/Paris")
        #expect((etl["next_fire_time"] as? String)?.contains("T02:30:00+0") == true, "\(etl)")
        #expect(etl["paused"] as? Bool == false)
        #expect(etl["problem"] is NSNull)
        #expect(etl["problems"] as? Int == 0)
        let last = try #require(etl["last_run"] as? [String: Any], "the last run of etl is listed")
        #expect(keys(last) == Self.lastRunKeys)
        #expect(last["id"] as? Int == 1)
        #expect(last["status"] as? String == "succeeded")

        let manual = try #require(byName["manual"])
        #expect(manual["schedule"] is NSNull && manual["timezone"] is NSNull && manual["next_fire_time"] is NSNull)
        #expect(manual["last_run"] is NSNull)

        let broken = try #require(byName["broken"])
        #expect(broken["valid"] as? Bool == false)
        #expect(broken["problems"] as? Int == 1)
        #expect((broken["problem"] as? String)?.contains("tasks.hello.timeout") == true, "\(broken)")
        #expect(broken["paused"] is NSNull)
    }

    @Test("gnomon next --json: an array of ISO 8601 times with the zone's offset")
    func next() async throws {
        let (_, cli) = try await Self.homeWithRun()
        let result = try await cli.run(["next", "etl", "--json", "--count", "2", "--after", "2026-03-28T12:00:00Z"])
        #expect(result.status == 0, "\(result)")
        // Paris skips 02:00-03:00 on 2026-03-29: that day's 02:30 fires at 03:00 summer time.
        #expect(try result.json() as? [String] == ["2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"])
        let cron = try await cli.run(["next", "--cron", "0 9 * * 1-5", "--json", "--count", "3", "--after", "2026-11-27T10:00:00Z"])
        #expect(try cron.json() as? [String] == ["2026-11-30T09:00:00Z", "2026-12-01T09:00:00Z", "2026-12-02T09:00:00Z"])
    }
}
