import Foundation
import Glibc
import GnomonCore
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing
@testable import GnomonApp

/// `GET /metrics` of a real daemon on a real port, after real runs.
@Suite("Metrics endpoint", .serialized)
struct MetricsEndpointTests {
    /// The jobs of every test: one that succeeds, one that fails, one that runs until killed, one
    /// paused that fires every second (each fire time skipped as `paused`), a yearly one, a
    /// broken file.
    static func writeJobs(_ home: TemporaryHome) throws {
        _ = try home.writeJob("ok", "tasks:\n  only:\n    run: \"true\"\n")
        _ = try home.writeJob("bad", "tasks:\n  only:\n    run: exit 3\n")
        _ = try home.writeJob("slow", "tasks:\n  only:\n    run: sleep 60\n")
        _ = try home.writeJob("resting", "schedule: \"@every 1s\"\npaused: true\ntasks:\n  only:\n    run: \"true\"\n")
        _ = try home.writeJob("yearly", "schedule: { cron: \"0 0 1 1 *\", timezone: UTC }\ntasks:\n  only:\n    run: \"true\"\n")
        _ = try home.writeJob("broken", "tasks: [\n")
    }

    @Test("after a succeeded, a failed and a killed run, a paused job and skipped fire times, every metric says so")
    func valuesAfterRealRuns() async throws {
        let home = try TemporaryHome()
        try Self.writeJobs(home)
        let daemon = try await ServedDaemon.start(home)
        defer { daemon.kill() }
        let ok = try await daemon.trigger("ok")
        let bad = try await daemon.trigger("bad")
        let store = try GnomonStore.open(home: home.home)
        let ended = await eventually(within: .seconds(20), every: .milliseconds(20)) {
            try [ok, bad].allSatisfy { try store.run($0)?.summary.status.isFinished == true }
        }
        try #require(ended, "the runs did not end: \(daemon.log)")
        let slow = try await daemon.trigger("slow")
        let running = await eventually(within: .seconds(10), every: .milliseconds(20)) { try store.run(slow)?.summary.status == .running }
        try #require(running)
        let skipped = await eventually(within: .seconds(10), every: .milliseconds(50)) {
            try store.ticks(job: "resting", limit: 10).contains { $0.decision == .paused }
        }
        try #require(skipped, "the paused job recorded no paused fire time: \(daemon.log)")

        let first = try await daemon.metrics()
        let okEnd = try #require(try store.run(ok)?.summary.finishedAt)
        #expect(first.value("gnomon_runs_started_total", ["job_name": "ok", "trigger": "manual"]) == 1)
        #expect(first.value("gnomon_runs_finished_total", ["job_name": "ok", "status": "succeeded"]) == 1)
        #expect(first.value("gnomon_runs_finished_total", ["job_name": "ok", "status": "failed"]) == 0)
        #expect(first.value("gnomon_runs_finished_total", ["job_name": "bad", "status": "failed"]) == 1)
        #expect(first.value("gnomon_task_attempts_total", ["job_name": "bad", "outcome": "exited"]) == 1)
        #expect(first.value("gnomon_task_attempts_total", ["job_name": "ok", "outcome": "exited"]) == 1)
        #expect(first.value("gnomon_job_last_success_time_seconds", ["job_name": "ok"])
                == (okEnd.timeIntervalSince1970 * 1000).rounded() / 1000)
        #expect(first.value("gnomon_job_last_success_time_seconds", ["job_name": "bad"]) == nil)
        #expect(first.value("gnomon_job_runs_running", ["job_name": "slow"]) == 1)
        #expect(first.value("gnomon_job_runs_running", ["job_name": "ok"]) == 0)
        #expect(first.value("gnomon_job_paused", ["job_name": "resting"]) == 1)
        #expect(first.value("gnomon_job_paused", ["job_name": "yearly"]) == 0)
        #expect(first.value("gnomon_job_file_valid", ["job_name": "broken"]) == 0)
        #expect(first.value("gnomon_job_file_valid", ["job_name": "ok"]) == 1)
        #expect(first.value("gnomon_job_next_fire_time_seconds", ["job_name": "yearly"]) == Self.nextNewYear().timeIntervalSince1970)
        #expect(first.value("gnomon_job_next_fire_time_seconds", ["job_name": "ok"]) == nil, "no schedule, no next fire time")
        #expect((first.value("gnomon_fire_times_skipped_total", ["job_name": "resting", "reason": "paused"]) ?? 0) >= 1)
        #expect(first.value("gnomon_run_duration_seconds_count", ["job_name": "ok"]) == 1)
        #expect(first.value("gnomon_run_duration_seconds_bucket", ["job_name": "ok", "le": "+Inf"]) == 1)
        #expect(first.value("gnomon_schedule_delay_seconds_count", ["trigger": "manual"]) == 3)
        #expect((first.value("gnomon_scheduler_lag_seconds") ?? -1) >= 0)

        // Kill the slow run: the next scrape counts it, and no counter went down.
        let kill = try await daemon.request("POST", "/api/v1/runs/\(slow)/kill", json: "{}")
        #expect(kill.status == 202, "\(kill.text)")
        let killed = await eventually(within: .seconds(20), every: .milliseconds(20)) { try store.run(slow)?.summary.status == .cancelled }
        try #require(killed)
        let second = try await daemon.metrics()
        #expect(second.value("gnomon_runs_finished_total", ["job_name": "slow", "status": "cancelled"]) == 1)
        #expect(second.value("gnomon_job_runs_running", ["job_name": "slow"]) == 0)
        #expect(second.value("gnomon_task_attempts_total", ["job_name": "slow", "outcome": "cancelled"]) == 1)
        Self.expectNoCounterWentDown(from: first, to: second)
    }

    @Test("a restarted daemon's counters, seeded from the history, equal the running daemon's, counted from events")
    func seedEqualsCountedAfterRestart() async throws {
        let home = try TemporaryHome()
        try Self.writeJobs(home)
        try FileManager.default.removeItem(atPath: home.jobs + "/resting.yaml")
        var daemon = try await ServedDaemon.start(home)
        defer { daemon.kill() }
        // The first scrape seeds before these runs exist: everything after comes from events.
        _ = try await daemon.metrics()
        let store = try GnomonStore.open(home: home.home)
        var runs: [Int64] = []
        for job in ["ok", "bad", "ok"] { runs.append(try await daemon.trigger(job)) }
        let ended = await eventually(within: .seconds(20), every: .milliseconds(20)) {
            try runs.allSatisfy { try store.run($0)?.summary.status.isFinished == true }
        }
        try #require(ended)
        let counted = try await daemon.metrics()
        #expect(await daemon.stop() == 0)
        daemon = try await ServedDaemon.start(home)
        let seeded = try await daemon.metrics()
        for family in ["gnomon_runs_started_total", "gnomon_runs_finished_total", "gnomon_task_attempts_total",
                       "gnomon_job_last_success_time_seconds", "gnomon_run_duration_seconds_bucket",
                       "gnomon_run_duration_seconds_sum", "gnomon_schedule_delay_seconds_bucket",
                       "gnomon_schedule_delay_seconds_count"] {
            #expect(Set(seeded.series(family)) == Set(counted.series(family)), "\(family) differs after the restart")
        }
        #expect(counted.value("gnomon_runs_finished_total", ["job_name": "ok", "status": "succeeded"]) == 2)
    }

    @Test("/metrics needs a token unless the daemon runs with --metrics-public")
    func access() async throws {
        let home = try TemporaryHome()
        _ = try home.writeJob("ok", "tasks:\n  only:\n    run: \"true\"\n")
        let guarded = try await ServedDaemon.start(home)
        defer { guarded.kill() }
        let anonymous = try await guarded.request("GET", "/metrics", token: "")
        #expect(anonymous.status == 401, "\(anonymous.text)")
        let wrong = try await guarded.request("GET", "/metrics", token: "not-a-token")
        #expect(wrong.status == 401)
        let signed = try await guarded.request("GET", "/metrics")
        #expect(signed.status == 200)
        #expect(signed.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        #expect(await guarded.stop() == 0)

        let open = try await ServedDaemon.start(home, extraArguments: ["--metrics-public"])
        defer { open.kill() }
        let scraped = try await open.request("GET", "/metrics", token: "")
        #expect(scraped.status == 200, "\(scraped.text)")
        _ = try ExpositionChecker(scraped.text)
        let api = try await open.request("GET", "/api/v1/jobs", token: "")
        #expect(api.status == 401, "--metrics-public opens /metrics only")
        let query = try await open.request("GET", "/metrics?format=json", token: "")
        #expect(query.status == 400, "an unknown query parameter is refused: \(query.text)")
    }

    @Test("Prometheus's own parser (python3-prometheus-client) reads the text and finds the same samples",
          .enabled("needs Debian's python3-prometheus-client (scripts/setup); forced on in CI") { await PrometheusParser.enabled() })
    func officialParser() async throws {
        let home = try TemporaryHome()
        try Self.writeJobs(home)
        let daemon = try await ServedDaemon.start(home)
        defer { daemon.kill() }
        let run = try await daemon.trigger("ok")
        let store = try GnomonStore.open(home: home.home)
        let ended = await eventually(within: .seconds(20), every: .milliseconds(20)) { try store.run(run)?.summary.status.isFinished == true }
        try #require(ended)
        let text = try await daemon.request("GET", "/metrics").text
        let ours = try ExpositionChecker(text)
        let theirs = try await PrometheusParser.samples(text, in: home)
        #expect(theirs.count == ours.samples.count)
        #expect(Set(theirs.map(\.description)) == Set(ours.samples.map(\.description)))

        // Job names are plain (a-z, 0-9, - and _), so the daemon's text has nothing to escape; a
        // snapshot with every escape shows that the two parsers read escapes alike.
        var totals = MetricTotals(eventID: 0)
        totals.runsFinished = [JobLabel("quote \" backslash \\ line\nfeed", "failed"): 1]
        let odd = MetricsSnapshot(now: Date(), startedAt: Date(), schedulerLag: nil, version: "v\"1\"", jobs: [], totals: totals).text()
        let oddOurs = try ExpositionChecker(odd)
        let oddTheirs = try await PrometheusParser.samples(odd, in: home)
        #expect(Set(oddTheirs.map(\.description)) == Set(oddOurs.samples.map(\.description)))
        #expect(oddOurs.value("gnomon_runs_finished_total", ["job_name": "quote \" backslash \\ line\nfeed", "status": "failed"]) == 1)
    }

    /// Every counter and histogram series of `first` is in `second` with a value at least as high.
    static func expectNoCounterWentDown(from first: ExpositionChecker, to second: ExpositionChecker) {
        let monotonic = first.types.filter { $0.value == "counter" || $0.value == "histogram" }.keys
        for sample in first.samples where monotonic.contains(where: { sample.name.hasPrefix($0) }) {
            let later: Double? = second.value(sample.name, sample.labels)
            let shown = later.map { "\($0)" } ?? "absent"
            #expect((later ?? -1) >= sample.value, "\(sample) went to \(shown)")
        }
    }

    /// The next 1 January, 00:00 UTC.
    static func nextNewYear() -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let year = calendar.component(.year, from: Date())
        return calendar.date(from: DateComponents(year: year + 1, month: 1, day: 1))!
    }
}

/// Debian's python3 with prometheus_client, the reference parser of the text format.
enum PrometheusParser {
    static let python = "/usr/bin/python3"

    /// Whether the parser can run here; always on in CI (`CI=true`), where a missing parser fails the test.
    static func enabled() async -> Bool {
        if ProcessInfo.processInfo.environment["CI"] == "true" { return true }
        let output = try? await ProcessSpawner.shared.runCapturingOutput(
            [python, "-c", "import prometheus_client.parser"], environment: HostEnvironment.current)
        if output?.status == .exited(code: 0) { return true }
        let warning = "\n*** SKIPPING the prometheus_client cross-check: Debian's python3-prometheus-client is missing; run scripts/setup. In CI (CI=true) it fails instead. ***\n"
        _ = Array(warning.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        return false
    }

    /// The samples python3's parser finds in `text`, each written as `ExpositionChecker.Sample`
    /// describes itself.
    static func samples(_ text: String, in home: TemporaryHome) async throws -> [ExpositionChecker.Sample] {
        let input = try home.write(text, to: "metrics.txt")
        let script = """
            import json, sys
            from prometheus_client.parser import text_string_to_metric_families
            out = []
            for family in text_string_to_metric_families(open(sys.argv[1]).read()):
                for s in family.samples:
                    out.append({"name": s.name, "labels": s.labels, "value": s.value})
            print(json.dumps(out))
            """
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            [python, "-c", script, input], environment: HostEnvironment.current)
        guard output.status == .exited(code: 0) else {
            throw TestSetupError("prometheus_client could not parse the text: \(output.errorText)")
        }
        let list = try JSONSerialization.jsonObject(with: Data(output.outputText.utf8)) as? [[String: Any]] ?? []
        return list.map { entry in
            ExpositionChecker.Sample(
                name: entry["name"] as? String ?? "", labels: entry["labels"] as? [String: String] ?? [:],
                value: (entry["value"] as? NSNumber)?.doubleValue ?? .nan)
        }
    }
}
