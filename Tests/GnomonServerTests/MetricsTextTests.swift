import Foundation
import GnomonStore
import Testing
@testable import GnomonApp

/// The exposition text, written from values: names, escaping, numbers, histogram buckets.
@Suite("Metrics text")
struct MetricsTextTests {
    struct Escape: CustomTestStringConvertible, Sendable {
        let name: String
        let value: String
        let written: String
        var testDescription: String { name }
    }

    @Test("label values escape backslash, double quote and line feed, and nothing else", arguments: [
        Escape(name: "a plain name stays", value: "nightly-etl", written: "nightly-etl"),
        Escape(name: "a double quote", value: #"say "hi""#, written: #"say \"hi\""#),
        Escape(name: "a backslash", value: #"C:\jobs"#, written: #"C:\\jobs"#),
        Escape(name: "a line feed", value: "two\nlines", written: #"two\nlines"#),
        Escape(name: "all three, in order", value: "\\\"\n", written: #"\\\"\n"#),
        Escape(name: "unicode and braces stay", value: "café {x} = 1,2", written: "café {x} = 1,2"),
    ])
    func labelEscaping(_ c: Escape) throws {
        #expect(ExpositionText.escapeLabel(c.value) == c.written)
        var out = ExpositionText()
        out.family("gnomon_x", .gauge, help: "x")
        out.sample("gnomon_x", [("job_name", c.value)], 1)
        let parsed = try ExpositionChecker(out.text)
        #expect(parsed.value("gnomon_x", ["job_name": c.value]) == 1, "the checker reads back the value written")
    }

    @Test("help text escapes backslash and line feed but keeps quotes")
    func helpEscaping() {
        var out = ExpositionText()
        out.family("gnomon_y_total", .counter, help: "a \\ \"b\"\nc")
        #expect(out.text == "# HELP gnomon_y_total a \\\\ \"b\"\\nc\n# TYPE gnomon_y_total counter\n")
    }

    struct Number: CustomTestStringConvertible, Sendable {
        let name: String
        let value: Double
        let written: String
        var testDescription: String { name }
    }

    @Test("sample values: whole numbers plain, fractions shortest, infinities and NaN by name", arguments: [
        Number(name: "zero", value: 0, written: "0"),
        Number(name: "a whole timestamp", value: 1_764_000_000, written: "1764000000"),
        Number(name: "a timestamp with milliseconds", value: 1_764_000_000.123, written: "1764000000.123"),
        Number(name: "a small fraction", value: 0.25, written: "0.25"),
        Number(name: "negative", value: -3, written: "-3"),
        Number(name: "huge stays a float", value: 1e20, written: "1e+20"),
        Number(name: "+Inf", value: .infinity, written: "+Inf"),
        Number(name: "-Inf", value: -.infinity, written: "-Inf"),
        Number(name: "NaN", value: .nan, written: "NaN"),
    ])
    func numbers(_ c: Number) {
        #expect(ExpositionText.number(c.value) == c.written)
    }

    @Test("milliseconds are written as exact decimal seconds", arguments: [
        (0, "0"), (10, "0.01"), (250, "0.25"), (1_000, "1"), (1_500, "1.5"), (60_000, "60"), (86_400_000, "86400"),
        (1_001, "1.001"), (-5, "-0.005"),
    ] as [(Int64, String)])
    func seconds(_ milliseconds: Int64, _ written: String) {
        #expect(ExpositionText.seconds(milliseconds: milliseconds) == written)
    }

    @Test("a histogram: cumulative buckets in seconds, +Inf equal to _count, _sum in seconds")
    func histogram() throws {
        var histogram = MillisecondHistogram(bounds: [100, 1_000, 5_000])
        for value: Int64 in [50, 100, 700, 4_000, 9_000] { histogram.observe(value) }
        var out = ExpositionText()
        out.family("gnomon_d_seconds", .histogram, help: "d")
        out.histogram("gnomon_d_seconds", [("job_name", "a\"b")], histogram)
        #expect(out.text == """
            # HELP gnomon_d_seconds d
            # TYPE gnomon_d_seconds histogram
            gnomon_d_seconds_bucket{job_name="a\\"b",le="0.1"} 2
            gnomon_d_seconds_bucket{job_name="a\\"b",le="1"} 3
            gnomon_d_seconds_bucket{job_name="a\\"b",le="5"} 4
            gnomon_d_seconds_bucket{job_name="a\\"b",le="+Inf"} 5
            gnomon_d_seconds_sum{job_name="a\\"b"} 13.85
            gnomon_d_seconds_count{job_name="a\\"b"} 5

            """)
        _ = try ExpositionChecker(out.text)
    }

    @Test("the whole snapshot: every family documented, typed, valid, with zeros for the statuses a job has not had yet")
    func snapshot() throws {
        var totals = MetricTotals(eventID: 7)
        totals.runsStarted = [JobLabel("etl", "schedule"): 4]
        totals.runsFinished = [JobLabel("etl", "succeeded"): 3, JobLabel("gone", "failed"): 2]
        totals.attempts = [JobLabel("etl", "exited"): 5]
        totals.skipped = [JobLabel("etl", "skipped_overlap"): 1]
        totals.lastSuccess = ["etl": Date(timeIntervalSince1970: 1_764_000_000.5)]
        var durations = MillisecondHistogram(bounds: MetricTotals.runDurationBounds)
        durations.observe(61_000)
        totals.runDurations = ["etl": durations]
        var delays = MillisecondHistogram(bounds: MetricTotals.scheduleDelayBounds)
        delays.observe(3)
        totals.scheduleDelays = ["schedule": delays]
        let snapshot = MetricsSnapshot(
            now: Date(timeIntervalSince1970: 1_764_000_100), startedAt: Date(timeIntervalSince1970: 1_764_000_000),
            schedulerLag: 0.002, version: "1.2.3",
            jobs: [
                .init(name: "etl", valid: true, running: 1, paused: false, nextFire: Date(timeIntervalSince1970: 1_764_003_600)),
                .init(name: "manual", valid: true, running: 0, paused: true),
                .init(name: "broken", valid: false, running: 0),
            ],
            totals: totals)
        let parsed = try ExpositionChecker(snapshot.text())
        #expect(parsed.types == [
            "gnomon_build_info": "gauge", "gnomon_daemon_start_time_seconds": "gauge", "gnomon_scheduler_lag_seconds": "gauge",
            "gnomon_job_file_valid": "gauge", "gnomon_job_paused": "gauge", "gnomon_job_next_fire_time_seconds": "gauge",
            "gnomon_job_last_success_time_seconds": "gauge", "gnomon_job_runs_running": "gauge",
            "gnomon_runs_started_total": "counter", "gnomon_runs_finished_total": "counter",
            "gnomon_task_attempts_total": "counter", "gnomon_fire_times_skipped_total": "counter",
            "gnomon_run_duration_seconds": "histogram", "gnomon_schedule_delay_seconds": "histogram",
        ])
        #expect(parsed.helps.values.allSatisfy { !$0.isEmpty })
        #expect(parsed.value("gnomon_build_info", ["version": "1.2.3"]) == 1)
        #expect(parsed.value("gnomon_job_next_fire_time_seconds", ["job_name": "etl"]) == 1_764_003_600)
        #expect(parsed.value("gnomon_job_next_fire_time_seconds", ["job_name": "manual"]) == nil, "no schedule, no next fire")
        #expect(parsed.value("gnomon_job_paused", ["job_name": "manual"]) == 1)
        #expect(parsed.value("gnomon_job_paused", ["job_name": "broken"]) == nil, "a file never valid has no pause state")
        #expect(parsed.value("gnomon_job_file_valid", ["job_name": "broken"]) == 0)
        #expect(parsed.value("gnomon_job_last_success_time_seconds", ["job_name": "etl"]) == 1_764_000_000.5)
        #expect(parsed.value("gnomon_job_runs_running", ["job_name": "etl"]) == 1)
        #expect(parsed.value("gnomon_runs_finished_total", ["job_name": "etl", "status": "failed"]) == 0)
        #expect(parsed.value("gnomon_runs_finished_total", ["job_name": "gone", "status": "failed"]) == 2,
                "a job whose file is gone keeps its counts")
        #expect(parsed.value("gnomon_runs_started_total", ["job_name": "broken", "trigger": "manual"]) == 0)
        #expect(parsed.value("gnomon_fire_times_skipped_total", ["job_name": "etl", "reason": "skipped_overlap"]) == 1)
        #expect(parsed.value("gnomon_run_duration_seconds_bucket", ["job_name": "etl", "le": "60"]) == 0)
        #expect(parsed.value("gnomon_run_duration_seconds_bucket", ["job_name": "etl", "le": "120"]) == 1)
        #expect(parsed.value("gnomon_run_duration_seconds_sum", ["job_name": "etl"]) == 61)
        #expect(parsed.value("gnomon_schedule_delay_seconds_bucket", ["trigger": "schedule", "le": "0.01"]) == 1)
        let labels = Set(parsed.samples.flatMap(\.labels.keys))
        #expect(labels == ["version", "job_name", "trigger", "status", "outcome", "reason", "le"],
                "no run ids or attempt numbers as labels")
    }
}
