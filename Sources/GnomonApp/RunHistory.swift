import Foundation
import Glibc
import GnomonCore
import GnomonStore

/// `gnomon runs` and `gnomon show`: the recorded history.
public enum RunHistory {
    /// Newest runs first, as a table or JSON, from this machine's store.
    public static func list(
        job: String?, status: [String], trigger: [String] = [], since: String?, limit: Int, json: Bool, settings: GlobalSettings,
        now: Date = Date()
    ) throws(AppError) -> String {
        let source = LocalSource(settings: settings)
        let query = try query(job: job, status: status, trigger: trigger, since: since, limit: limit, now: now)
        return try render(try source.runs(query), json: json, settings: settings, now: now)
    }

    /// Newest runs first, as a table or JSON, from `source`.
    public static func list(
        job: String?, status: [String], trigger: [String] = [], since: String?, limit: Int, json: Bool, source: any CommandSource,
        now: Date = Date()
    ) async throws(AppError) -> String {
        let query = try query(job: job, status: status, trigger: trigger, since: since, limit: limit, now: now)
        return try render(try await source.runs(query), json: json, settings: source.settings, now: now)
    }

    /// The query for `gnomon runs`'s options, with usage errors (exit 2) that name the option.
    static func query(
        job: String?, status: [String], trigger: [String] = [], since: String?, limit: Int, now: Date
    ) throws(AppError) -> RunQuery {
        var statuses: Set<RunStatus>? = nil
        if !status.isEmpty {
            statuses = []
            for name in status {
                guard let value = RunStatus(rawValue: name) else {
                    throw AppError(.usage, "--status \(name) is not a run status; use one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                statuses?.insert(value)
            }
        }
        var triggers: Set<RunTrigger>? = nil
        if !trigger.isEmpty {
            triggers = []
            for name in trigger {
                guard let value = RunTrigger(rawValue: name) else {
                    throw AppError(.usage, "--trigger \(name) is not a run trigger; use one of \(RunTrigger.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                triggers?.insert(value)
            }
        }
        let sinceDate = try since.map { text throws(AppError) in try parseSince(text, now: now) }
        return RunQuery(job: job, statuses: statuses, since: sinceDate, triggers: triggers, limit: limit)
    }

    /// The runs as a table or JSON; nil runs means there is no database yet.
    static func render(_ runs: [RunSummary]?, json: Bool, settings: GlobalSettings, now: Date) throws(AppError) -> String {
        guard let runs else {
            return json ? "[]" : "no runs yet (no database at \(settings.databasePath))"
        }
        if json { return try JSONOutput.string(runs, what: "the runs") }
        if runs.isEmpty { return "no runs match" }
        var table = TextTable(headers: ["ID", "JOB", "STATUS", "TRIGGER", "SCHEDULED", "STARTED", "DURATION"])
        for run in runs {
            table.add([
                String(run.id), run.job, runnerGone(run) ? "\(run.status.rawValue) (runner gone)" : run.status.rawValue,
                run.trigger.rawValue, ISOTime.utc(run.scheduledAt),
                run.startedAt.map(ISOTime.utc) ?? "-", duration(run, now: now),
            ])
        }
        return table.lines().joined(separator: "\n")
    }

    /// Whether an unfinished run's runner process no longer exists (it crashed, or the machine
    /// restarted): the run is not being worked on, whatever its status says.
    static func runnerGone(_ run: RunSummary) -> Bool {
        guard !run.status.isFinished, run.runnerPID > 0 else { return false }
        return kill(run.runnerPID, 0) != 0 && errno == ESRCH
    }

    /// One run in full: its tasks with state and reason, every attempt with outcome and log.
    ///
    /// - Parameter instances: list every instance of each foreach task (see ``render(_:json:now:instances:)``).
    public static func show(
        run id: Int64, json: Bool, settings: GlobalSettings, now: Date = Date(), instances: Bool = false
    ) throws(AppError) -> String {
        let source = LocalSource(settings: settings)
        return try render(json ? try source.run(id) : try source.runWithoutSnapshot(id), json: json, now: now, instances: instances)
    }

    /// One run in full, from `source`; the text does not print the job's definition, so it is
    /// not read.
    public static func show(
        run id: Int64, json: Bool, source: any CommandSource, now: Date = Date(), instances: Bool = false
    ) async throws(AppError) -> String {
        try render(json ? try await source.run(id) : try await source.runWithoutSnapshot(id), json: json, now: now, instances: instances)
    }

    /// A run as `gnomon show` prints it.
    ///
    /// A foreach task is one row with its instances counted by state (`foreach 40 items: 38
    /// succeeded, 2 failed`). Its instances follow it, indented, when it has at most
    /// ``instancesInFull`` of them or `instances` is set; otherwise only those that did not
    /// succeed (at most that many), and a line saying how to see the rest. The attempts and
    /// outputs shown are those of the rows shown. `--json` always holds everything.
    static func render(_ detail: RunDetail, json: Bool, now: Date, instances: Bool = false) throws(AppError) -> String {
        let id = detail.id
        if json { return try JSONOutput.string(detail, what: "run \(id)") }
        let run = detail.summary
        var lines = [
            "run \(run.id) of \(run.job): \(run.status.rawValue)\(run.reason.map { " (\($0))" } ?? "")"
                + (runnerGone(run) ? "; its runner (pid \(run.runnerPID)) is gone: `gnomon daemon` recovers it when it starts" : ""),
            "  trigger    \(run.trigger.rawValue)",
            "  scheduled  \(ISOTime.utc(run.scheduledAt))",
            "  started    \(run.startedAt.map(ISOTime.utc) ?? "-")",
            "  finished   \(run.finishedAt.map(ISOTime.utc) ?? "-")",
            "  duration   \(duration(run, now: now))",
        ]
        if !detail.params.isEmpty {
            lines.append("  params     " + detail.params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        lines.append("")
        var table = TextTable(headers: ["TASK", "STATUS", "ATTEMPTS", "REASON"])
        let fanOuts = FanOutRows(detail, all: instances)
        for task in detail.tasks where task.instanceOf == nil {
            var reason = task.reason ?? ""
            if let at = task.retryAt, task.status == .retrying { reason += " (next at \(ISOTime.utc(at)))" }
            if let summary = fanOuts.summary(of: task.name) { reason = summary + (reason.isEmpty ? "" : "; " + reason) }
            table.add([task.name, task.status.rawValue, String(task.attempts), reason])
            for instance in fanOuts.shown[task.name] ?? [] {
                let item = "item " + shown(instance.item ?? "")
                table.add(["  " + instance.name, instance.status.rawValue, String(instance.attempts),
                           item + (instance.reason.map { "; " + $0 } ?? "")])
            }
            if let hidden = fanOuts.hidden[task.name], hidden > 0 {
                table.add(["  …", "", "", "\(hidden) more instance\(hidden == 1 ? "" : "s"): gnomon show \(id) --instances"])
            }
        }
        lines += table.lines()
        let attemptsShown = detail.attempts.filter { !fanOuts.hiddenNames.contains($0.task) }
        if !attemptsShown.isEmpty {
            lines.append("")
            var attempts = TextTable(headers: ["TASK", "#", "OUTCOME", "STARTED", "TOOK", "PID", "LOG"])
            for attempt in attemptsShown {
                let took = attempt.endedAt.map { ProgressPrinter.seconds($0.timeIntervalSince(attempt.startedAt)) }
                    ?? ProgressPrinter.seconds(now.timeIntervalSince(attempt.startedAt)) + "…"
                attempts.add([
                    attempt.task, String(attempt.number), attempt.outcome?.summary ?? "running",
                    ISOTime.utc(attempt.startedAt), took, attempt.pid.map(String.init) ?? "-", attempt.logPath,
                ])
            }
            lines += attempts.lines()
            lines += slurmLines(attemptsShown)
            lines += outputLines(attemptsShown)
        }
        return lines.joined(separator: "\n")
    }

    /// The outputs each successful attempt published, one line per key (a value on one line,
    /// shortened past 80 characters: `--json` has them whole); none without any.
    static func outputLines(_ attempts: [AttemptRecord]) -> [String] {
        var table = TextTable(headers: ["TASK", "#", "OUTPUT", "VALUE"])
        for attempt in attempts {
            for (key, value) in (attempt.outputs ?? [:]).sorted(by: { $0.key < $1.key }) {
                table.add([attempt.task, String(attempt.number), key, shown(value)])
            }
        }
        return table.lines().count > 1 ? [""] + table.lines() : []
    }

    /// An output's value on one line: line ends as `\n`, cut at 80 characters with its size.
    static func shown(_ value: String) -> String {
        let flat = value.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
        guard flat.count > 80 else { return flat }
        return String(flat.prefix(80)) + "… (\(value.utf8.count) bytes)"
    }

    /// The Slurm job, node and last state of each attempt that ran on Slurm (the state as the
    /// daemon last saw it); none without any.
    static func slurmLines(_ attempts: [AttemptRecord]) -> [String] {
        var table = TextTable(headers: ["TASK", "#", "SLURM JOB", "NODE", "STATE"])
        for attempt in attempts {
            guard let job = attempt.slurm else { continue }
            table.add([attempt.task, String(attempt.number), job.id ?? "-", job.node ?? "-", job.state ?? "unknown"])
        }
        return table.lines().count > 1 ? [""] + table.lines() : []
    }

    /// `2d`, `90m` (that long ago) or an ISO 8601 instant or a date like 2026-11-26.
    static func parseSince(_ text: String, now: Date) throws(AppError) -> Date {
        if case .success(let ago) = DurationText.parse(text) { return now.addingTimeInterval(-ago.secondsDouble) }
        if let date = ISOTime.parse(text) ?? ISOTime.parse(text + "T00:00:00Z") { return date }
        throw AppError(.usage, "--since \"\(text)\" is neither a duration (2d, 90m) nor a date (2026-11-26 or 2026-11-26T08:00:00Z)")
    }

    static func duration(_ run: RunSummary, now: Date) -> String {
        guard let started = run.startedAt else { return "-" }
        let end = run.finishedAt ?? now
        return ProgressPrinter.seconds(end.timeIntervalSince(started)) + (run.finishedAt == nil ? "…" : "")
    }
}
