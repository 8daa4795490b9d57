import Foundation
import GnomonCore
import GnomonStore

/// Everything `/metrics` shows at one moment, and its text: the one place that names each metric,
/// its help, its type and its labels (Docs/server.md lists the same).
///
/// Jobs are labelled `job_name`, not `job`: Prometheus gives every scraped series a `job` label
/// of its own (the scrape job), and would rename ours to `exported_job`.
struct MetricsSnapshot {
    /// One job as the daemon holds it.
    struct Job {
        var name: String
        var valid: Bool
        var running: Int
        /// Nil for a job whose file was never valid.
        var paused: Bool?
        /// Nil for a job without a schedule (or whose schedule never fires again).
        var nextFire: Date?

        init(name: String, valid: Bool, running: Int, paused: Bool? = nil, nextFire: Date? = nil) {
            self.name = name
            self.valid = valid
            self.running = running
            self.paused = paused
            self.nextFire = nextFire
        }
    }

    var now: Date
    var startedAt: Date
    var schedulerLag: TimeInterval?
    var version: String
    var jobs: [Job]
    var totals: MetricTotals

    /// The statuses and triggers every job shows from the start (0 until the first), so that
    /// `increase()` sees a job's first failure instead of a series appearing at 1.
    static let finishedStatuses = [RunStatus.succeeded, .failed, .cancelled].map(\.rawValue)
    static let triggers = RunTrigger.allCases.map(\.rawValue)

    func text() -> String {
        var out = ExpositionText(capacity: 200 + jobs.count * 2_400)
        out.family("gnomon_build_info", .gauge, help: "Always 1; the version of the daemon serving these metrics.")
        out.sample("gnomon_build_info", [("version", version)], 1)
        out.family("gnomon_daemon_start_time_seconds", .gauge, help: "When the daemon started, in Unix seconds.")
        out.sample("gnomon_daemon_start_time_seconds", [], Self.unixSeconds(startedAt))
        if let schedulerLag {
            out.family("gnomon_scheduler_lag_seconds", .gauge,
                       help: "How far the scheduler loop is behind its next due wake-up (0 while it waits).")
            out.sample("gnomon_scheduler_lag_seconds", [], schedulerLag)
        }
        jobGauges(&out)
        counters(&out)
        histograms(&out)
        return out.text
    }

    private func jobGauges(_ out: inout ExpositionText) {
        out.family("gnomon_job_file_valid", .gauge, help: "1 while the job's file is valid, 0 while it has problems.")
        for job in jobs { out.sample("gnomon_job_file_valid", [("job_name", job.name)], job.valid ? 1 : 0) }
        out.family("gnomon_job_paused", .gauge, help: "1 while the job is paused (its file or gnomon pause), else 0.")
        for job in jobs {
            if let paused = job.paused { out.sample("gnomon_job_paused", [("job_name", job.name)], paused ? 1 : 0) }
        }
        out.family("gnomon_job_next_fire_time_seconds", .gauge,
                   help: "The job schedule's next fire time, in Unix seconds (jitter not included).")
        for job in jobs {
            if let next = job.nextFire { out.sample("gnomon_job_next_fire_time_seconds", [("job_name", job.name)], Self.unixSeconds(next)) }
        }
        out.family("gnomon_job_last_success_time_seconds", .gauge,
                   help: "When a run of the job last succeeded (its end), in Unix seconds; absent if none ever did.")
        for (job, at) in totals.lastSuccess.sorted(by: { $0.key < $1.key }) {
            out.sample("gnomon_job_last_success_time_seconds", [("job_name", job)], Self.unixSeconds(at))
        }
        out.family("gnomon_job_runs_running", .gauge, help: "Runs of the job running now.")
        for job in jobs { out.sample("gnomon_job_runs_running", [("job_name", job.name)], job.running) }
    }

    private func counters(_ out: inout ExpositionText) {
        let names = jobs.map(\.name)
        out.family("gnomon_runs_started_total", .counter, help: "Runs that began running, by job and trigger.")
        for (label, count) in Self.withZeros(totals.runsStarted, jobs: names, values: Self.triggers) {
            out.sample("gnomon_runs_started_total", [("job_name", label.job), ("trigger", label.value)], count)
        }
        out.family("gnomon_runs_finished_total", .counter, help: "Runs that ended, by job and status.")
        for (label, count) in Self.withZeros(totals.runsFinished, jobs: names, values: Self.finishedStatuses) {
            out.sample("gnomon_runs_finished_total", [("job_name", label.job), ("status", label.value)], count)
        }
        out.family("gnomon_task_attempts_total", .counter, help: "Task attempts that ended, by job and outcome.")
        for (label, count) in totals.attempts.sorted(by: { $0.key < $1.key }) {
            out.sample("gnomon_task_attempts_total", [("job_name", label.job), ("outcome", label.value)], count)
        }
        out.family("gnomon_fire_times_skipped_total", .counter,
                   help: "Fire times that produced no run, by job and reason (the fire time's decision).")
        for (label, count) in totals.skipped.sorted(by: { $0.key < $1.key }) {
            out.sample("gnomon_fire_times_skipped_total", [("job_name", label.job), ("reason", label.value)], count)
        }
    }

    private func histograms(_ out: inout ExpositionText) {
        out.family("gnomon_run_duration_seconds", .histogram, help: "How long runs took from start to end, by job.")
        for (job, histogram) in totals.runDurations.sorted(by: { $0.key < $1.key }) {
            out.histogram("gnomon_run_duration_seconds", [("job_name", job)], histogram)
        }
        out.family("gnomon_schedule_delay_seconds", .histogram,
                   help: "How late runs started after their scheduled time (jitter, queueing, catch-up), by trigger.")
        for (trigger, histogram) in totals.scheduleDelays.sorted(by: { $0.key < $1.key }) {
            out.histogram("gnomon_schedule_delay_seconds", [("trigger", trigger)], histogram)
        }
    }

    /// `counts` with a 0 for every value of every job that has none yet, sorted.
    static func withZeros(_ counts: [JobLabel: Int], jobs: [String], values: [String]) -> [(key: JobLabel, value: Int)] {
        var all = counts
        for job in jobs {
            for value in values where all[JobLabel(job, value)] == nil { all[JobLabel(job, value)] = 0 }
        }
        return all.sorted { $0.key < $1.key }
    }

    /// `date` in Unix seconds with its milliseconds, written exactly.
    static func unixSeconds(_ date: Date) -> Double {
        (date.timeIntervalSince1970 * 1_000).rounded() / 1_000
    }
}
