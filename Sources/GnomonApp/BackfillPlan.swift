import Foundation
import GnomonCore
import GnomonStore

/// `gnomon backfill JOB --from DAY --to DAY`: the fire times of the job's schedule on those days
/// (inclusive, in the schedule's time zone, oldest first; `BackfillRange`), less those that
/// already have a succeeded run (of any trigger) unless `rerunSucceeded`.
public struct BackfillPlan: Sendable {
    public let job: String
    /// The fire times to run, oldest first.
    public let times: [Date]
    /// Fire times left out: they have a succeeded run already.
    public let succeeded: [Date]
    public let zone: TimeZone

    public static func make(
        job: String, from: String, to: String, rerunSucceeded: Bool, tasks: [String] = [], settings: GlobalSettings
    ) throws(AppError) -> BackfillPlan {
        let definition = try JobCatalog.job(named: job, in: settings.jobsDirectory)
        try TriggerRun.checkTasks(tasks, job: definition.name, known: definition.spec.tasks.map(\.name))
        guard let schedule = definition.schedule else {
            throw AppError(.failure, "job \(definition.name) has no schedule, so it has no fire times to backfill; "
                + "run it with gnomon run \(definition.name)")
        }
        if schedule.continuous != nil {
            throw AppError(.failure, "job \(definition.name) has a continuous schedule (\(schedule.spec.expression)): its "
                + "fire times follow its own runs, so there are none in the past to backfill; run it with gnomon run \(definition.name)")
        }
        let all: [Date]
        switch BackfillRange.fireTimes(of: schedule, from: from, to: to) {
        case .success(let times): all = times
        case .failure(let problem): throw AppError(.usage, problem.message)
        }
        var done: Set<Date> = []
        if !rerunSucceeded, let first = all.first, let last = all.last, let workspace = try Workspace.openIfPresent(settings) {
            do {
                done = try workspace.store.succeededScheduledTimes(job: definition.name, from: first, through: last)
            } catch {
                throw AppError(error)
            }
        }
        return BackfillPlan(job: definition.name, times: all.filter { !done.contains($0) },
                            succeeded: all.filter { done.contains($0) }, zone: schedule.timeZone)
    }

    /// `--dry-run`: each fire time to run, one per line (ISO 8601 in the schedule's zone), and a
    /// last line counting those left out; `--json`: `{ "job", "times", "succeeded" }`.
    public func render(json: Bool) throws(AppError) -> String {
        let lines = times.map { ISOTime.format($0, zone: zone) }
        if json {
            return try JSONOutput.string(
                Shape(job: job, times: lines, succeeded: succeeded.map { ISOTime.format($0, zone: zone) }),
                what: "the backfill plan")
        }
        var out = lines
        if lines.isEmpty { out.append("nothing to run: every fire time of \(job) in the range has a succeeded run (--rerun-succeeded runs them again)") }
        if !succeeded.isEmpty {
            out.append("(\(succeeded.count) fire time\(succeeded.count == 1 ? "" : "s") left out: they have a succeeded run; --rerun-succeeded runs them again)")
        }
        return out.joined(separator: "\n")
    }

    private struct Shape: Encodable {
        var job: String
        var times: [String]
        var succeeded: [String]
    }
}
