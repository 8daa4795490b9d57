import Foundation

/// The fire times a backfill reprocesses: every fire time of a schedule from the start of one
/// civil day through the end of another, both in the schedule's time zone, oldest first.
public enum BackfillRange {
    /// The most fire times one backfill may create (a `@every 1s` job over a month would be
    /// 2.6 million runs: almost surely a mistake).
    public static let maxFireTimes = 10_000

    /// What is wrong with a range, in words that say how to fix it.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }

    /// The fire times of `schedule` on the days `from` through `to` (`YYYY-MM-DD`, inclusive).
    public static func fireTimes(of schedule: JobSchedule, from: String, to: String) -> Result<[Date], Problem> {
        guard let first = day(from) else { return .failure(Problem(message: "--from \(from) is not a date; write it as 2026-11-01")) }
        guard let last = day(to) else { return .failure(Problem(message: "--to \(to) is not a date; write it as 2026-11-30")) }
        guard first.days <= last.days else {
            return .failure(Problem(message: "the range is reversed: --from \(from) is after --to \(to)"))
        }
        let zone = schedule.timeZone
        let start = midnight(first.days, in: zone)
        let end = midnight(last.days + 1, in: zone)
        var times: [Date] = []
        var cursor = start.addingTimeInterval(-0.000_001)
        while let next = schedule.next(after: cursor), next < end {
            if times.count == maxFireTimes {
                return .failure(Problem(message: "\(from) to \(to) holds more than \(maxFireTimes) fire times of \"\(schedule.spec.expression)\"; backfill a shorter range at a time"))
            }
            times.append(next)
            cursor = next
        }
        guard !times.isEmpty else {
            return .failure(Problem(message: "\"\(schedule.spec.expression)\" (\(schedule.spec.timeZone)) has no fire time from \(from) through \(to); `gnomon next JOB --after \(from)T00:00:00Z` shows when it fires"))
        }
        return .success(times)
    }

    static func day(_ text: String) -> CivilDate? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let year = Int64(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month), (1...CivilDate.monthLength(year: year, month: month)).contains(day)
        else { return nil }
        return CivilDate(year: year, month: month, day: day)
    }

    /// The instant local midnight starts day `days` (days since 1970-01-01) in `zone`.
    static func midnight(_ days: Int64, in zone: TimeZone) -> Date {
        let utc = Date(timeIntervalSince1970: TimeInterval(days * 86_400))
        let guess = utc.addingTimeInterval(-TimeInterval(zone.secondsFromGMT(for: utc)))
        return utc.addingTimeInterval(-TimeInterval(zone.secondsFromGMT(for: guess)))
    }
}
