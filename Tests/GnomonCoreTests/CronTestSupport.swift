import Foundation
import Testing
@testable import GnomonCore

/// Helpers shared by the cron test suites: readable times in and out.
enum CronTestSupport {
    /// The instant an ISO 8601 string with an offset names, e.g. `2026-03-08T01:59:00-05:00`.
    static func instant(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else {
            fatalError("bad ISO 8601 time in a test table: \(text)")
        }
        return date
    }

    /// `date` as ISO 8601 with the offset in force in `zone` (`Z` when the offset is zero).
    static func text(_ date: Date, in zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        return formatter.string(from: date)
    }

    static func zone(_ name: String) -> TimeZone {
        guard let zone = TimeZone(identifier: name) else { fatalError("unknown zone in a test: \(name)") }
        return zone
    }

    /// The cron schedule for `expression` in `zone`, built through the public `makeSchedule()`.
    static func schedule(_ expression: String, _ zone: String = "UTC") throws -> any Schedule {
        try ScheduleSpec(expression: expression, timeZone: zone).makeSchedule().get()
    }

    /// The next `count` fire times after `after`, written in `zone`.
    static func fires(_ expression: String, _ zone: String, after: String, count: Int) throws -> [String] {
        let schedule = try schedule(expression, zone)
        return schedule.nextTimes(after: instant(after), count: count).map { text($0, in: self.zone(zone)) }
    }
}

/// A named row of a fire-time table: `expression` in `zone`, fired repeatedly from `after`.
struct FireCase: CustomTestStringConvertible, Sendable {
    let name: String
    let expression: String
    let zone: String
    let after: String
    let expected: [String]

    init(_ name: String, _ expression: String, zone: String = "UTC", after: String, _ expected: [String]) {
        self.name = name
        self.expression = expression
        self.zone = zone
        self.after = after
        self.expected = expected
    }

    var testDescription: String { name }
}
