import Foundation
import GnomonCore

/// `gnomon next`: upcoming fire times of a job or of a cron expression.
public struct NextTimes: Sendable {
    public let times: [Date]
    public let zone: TimeZone

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
        }
        var times: [Date] = []
        var cursor = start
        while times.count < count, let next = schedule.next(after: cursor) {
            times.append(next)
            cursor = next
        }
        return NextTimes(times: times, zone: schedule.timeZone)
    }

    /// One ISO 8601 time per line with the zone's offset, or a JSON array of those strings.
    public func render(json: Bool) throws(AppError) -> String {
        let lines = times.map { ISOTime.format($0, zone: zone) }
        if json { return try JSONOutput.string(lines, what: "the fire times") }
        return lines.isEmpty ? "(no fire times)" : lines.joined(separator: "\n")
    }
}
