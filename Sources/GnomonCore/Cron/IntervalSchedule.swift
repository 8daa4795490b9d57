import Foundation

/// Fires every whole multiple of a fixed interval counted from the Unix epoch (`@every 90s`).
///
/// Counting from the epoch rather than from a start time gives the same fire times after any
/// restart, on any machine. Time zones and daylight saving do not apply: `@every 1d` fires at
/// 00:00 UTC; use `@daily` for local midnight.
public struct IntervalSchedule: Schedule, Hashable, CustomStringConvertible {
    /// The interval in whole seconds, at least 1.
    public let seconds: Int64

    /// The schedule firing every `interval`, or `nil` unless it is a whole number of seconds, 1 or
    /// more.
    public init?(every interval: Duration) {
        let milliseconds = interval.wholeMilliseconds
        guard milliseconds >= 1000, milliseconds % 1000 == 0, interval == .milliseconds(milliseconds) else {
            return nil
        }
        seconds = milliseconds / 1000
    }

    /// Parses `@every <duration>`, e.g. `@every 90s` or `@every 1h30m`.
    public static func parse(_ text: String) -> Result<IntervalSchedule, ScheduleProblem> {
        let trimmed = text.trimmingWhitespace()
        let words = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard words.first?.lowercased() == "@every" else {
            return .failure(ScheduleProblem(.expression, "\"\(trimmed)\" is not an interval; write it like \"@every 15m\""))
        }
        guard words.count == 2 else {
            let what = words.count < 2 ? "needs an interval" : "takes one interval"
            return .failure(ScheduleProblem(.expression, "@every \(what), like \"@every 15m\" (got \"\(trimmed)\")"))
        }
        let durationText = String(words[1])
        switch DurationText.parse(durationText) {
        case .failure(let problem):
            return .failure(ScheduleProblem(.expression, "\(problem) (in \"\(trimmed)\")"))
        case .success(let interval):
            if interval < .seconds(1) {
                return .failure(ScheduleProblem(.expression,
                    "@every interval \(durationText) is below the minimum 1s in \"\(trimmed)\""))
            }
            guard let schedule = IntervalSchedule(every: interval) else {
                return .failure(ScheduleProblem(.expression,
                    "@every interval \(durationText) is not a whole number of seconds in \"\(trimmed)\""))
            }
            return .success(schedule)
        }
    }

    public var description: String { "@every \(DurationText.format(.seconds(seconds)))" }

    public func next(after date: Date) -> Date? {
        let seconds = date.timeIntervalSince1970
        guard seconds.magnitude < CronSchedule.supportedRange else { return nil }
        let after = Int64(seconds.rounded(.down))
        return Date(timeIntervalSince1970: Double((CivilDate.floorDivide(after, self.seconds) + 1) * self.seconds))
    }
}
