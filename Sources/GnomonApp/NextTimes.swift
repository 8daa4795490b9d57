import Foundation
import GnomonCore
import GnomonStore

/// `gnomon next`: upcoming fire times of a job or of a cron expression.
public struct NextTimes: Sendable {
    public let times: [Date]
    public let zone: TimeZone
    /// Said instead of times for a continuous schedule that waits for a run to end.
    public var note: String? = nil

    public static func compute(
        job: String?, cron: String?, timeZone: String?, after: String?, count: Int, settings: GlobalSettings,
        now: Date = Date()
    ) throws(AppError) -> NextTimes {
        let start: Date
        if let after {
            guard let parsed = ISOTime.parse(after) else {
                throw AppError(.usage, "--after \"\(after)\" is not an ISO 8601 instant; write it like 2026-03-08T01:30:00Z or 2026-03-08T01:30:00-05:00")
            }
            start = parsed
        } else {
            start = now
        }
        let schedule: JobSchedule
        if let cron {
            // An expression from the command line, parsed here; a job's was parsed when its file loaded.
            switch ScheduleSpec(expression: cron, timeZone: timeZone ?? "UTC").parse() {
            case .success(let parsed): schedule = parsed
            case .failure(let problem): throw AppError(.usage, problem.message)
            }
        } else {
            let definition = try JobCatalog.job(named: job ?? "", in: settings.jobsDirectory)
            guard let parsed = definition.schedule else {
                throw AppError(.failure, "job \(definition.name) has no schedule; it runs only when asked (gnomon run or gnomon trigger)")
            }
            schedule = parsed
            if let continuous = parsed.continuous {
                return try continuousTimes(continuous, job: definition.name, zone: parsed.timeZone, settings: settings, now: now)
            }
        }
        var times: [Date] = []
        var cursor = start
        while times.count < count, let next = schedule.next(after: cursor) {
            times.append(next)
            cursor = next
        }
        return NextTimes(times: times, zone: schedule.timeZone)
    }

    /// A continuous schedule's one known time, counted from the job's newest run in the store
    /// (`--after` and `--count` do not apply: later times follow runs that have not happened).
    private static func continuousTimes(
        _ schedule: ContinuousSchedule, job: String, zone: TimeZone, settings: GlobalSettings, now: Date
    ) throws(AppError) -> NextTimes {
        var newest: RunSummary?
        if let workspace = try Workspace.openIfPresent(settings) {
            do {
                newest = try workspace.store.lastRuns(jobs: [job])[job]
            } catch {
                throw AppError(error)
            }
        }
        let outlook = ContinuousOutlook(schedule, newest: newest, now: now)
        return NextTimes(times: outlook.time.map { [$0] } ?? [], zone: zone, note: outlook.note)
    }

    /// One ISO 8601 time per line with the zone's offset, or a JSON array of those strings.
    public func render(json: Bool) throws(AppError) -> String {
        let lines = times.map { ISOTime.format($0, zone: zone) }
        if json { return try JSONOutput.string(lines, what: "the fire times") }
        if let note, lines.isEmpty { return note }
        return lines.isEmpty ? "(no fire times)" : lines.joined(separator: "\n")
    }
}
