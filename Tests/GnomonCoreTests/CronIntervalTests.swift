import Foundation
import Testing
@testable import GnomonCore

/// `@every`: whole multiples of the interval counted from the Unix epoch, in any zone.
struct CronIntervalTests {
    static let cases: [FireCase] = [
        FireCase("90 seconds from the epoch", "@every 90s", after: "2026-01-01T00:00:00Z",
                 ["2026-01-01T00:01:30Z", "2026-01-01T00:03:00Z", "2026-01-01T00:04:30Z"]),
        FireCase("the same times from a later start", "@every 90s", after: "2026-01-01T00:02:59Z",
                 ["2026-01-01T00:03:00Z", "2026-01-01T00:04:30Z"]),
        FireCase("an interval that does not divide a day drifts against the clock", "@every 11m",
                 after: "2026-01-01T00:00:00Z", ["2026-01-01T00:05:00Z", "2026-01-01T00:16:00Z"]),
        FireCase("one day is midnight UTC, whatever the zone", "@every 1d", zone: "America/New_York",
                 after: "2026-03-07T12:00:00-05:00", ["2026-03-07T19:00:00-05:00", "2026-03-08T20:00:00-04:00"]),
        FireCase("an hour and a half, written in two units", "@every 1h30m", after: "2026-01-01T00:00:00Z",
                 ["2026-01-01T01:30:00Z", "2026-01-01T03:00:00Z"]),
        FireCase("upper-case keyword", "@EVERY 1h", after: "2026-01-01T00:00:00Z",
                 ["2026-01-01T01:00:00Z"]),
    ]

    @Test(arguments: cases)
    func fireTimes(_ c: FireCase) throws {
        #expect(try CronTestSupport.fires(c.expression, c.zone, after: c.after, count: c.expected.count) == c.expected)
    }

    @Test func anExactFireTimeIsNotRepeated() throws {
        let schedule = try CronTestSupport.schedule("@every 90s")
        let fire = CronTestSupport.instant("2026-01-01T00:03:00Z")
        #expect(schedule.next(after: fire) == fire.addingTimeInterval(90))
        #expect(schedule.next(after: fire.addingTimeInterval(-0.001)) == fire)
    }

    @Test func beforeTheEpochStaysAligned() throws {
        let schedule = try CronTestSupport.schedule("@every 1h")
        #expect(schedule.next(after: Date(timeIntervalSince1970: -5400)) == Date(timeIntervalSince1970: -3600))
    }

    struct ErrorCase: CustomTestStringConvertible, Sendable {
        let name: String
        let expression: String
        let message: String
        var testDescription: String { name }
    }

    static let errors: [ErrorCase] = [
        ErrorCase(name: "no interval", expression: "@every",
                  message: #"@every needs an interval, like "@every 15m" (got "@every")"#),
        ErrorCase(name: "two intervals", expression: "@every 5m 10m",
                  message: #"@every takes one interval, like "@every 15m" (got "@every 5m 10m")"#),
        ErrorCase(name: "zero", expression: "@every 0s",
                  message: #"@every interval 0s is below the minimum 1s in "@every 0s""#),
        ErrorCase(name: "below a second", expression: "@every 500ms",
                  message: #"@every interval 500ms is below the minimum 1s in "@every 500ms""#),
        ErrorCase(name: "not whole seconds", expression: "@every 1500ms",
                  message: #"@every interval 1500ms is not a whole number of seconds in "@every 1500ms""#),
        ErrorCase(name: "not a duration", expression: "@every soon",
                  message: #""soon" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds (in "@every soon")"#),
    ]

    @Test(arguments: errors)
    func rejects(_ c: ErrorCase) {
        guard case .failure(let problem) = IntervalSchedule.parse(c.expression) else {
            Issue.record("\"\(c.expression)\" parsed, expected: \(c.message)")
            return
        }
        #expect(problem.message == c.message)
        #expect(problem.part == .expression)
    }

    @Test func theInitializerRejectsWhatParseRejects() {
        #expect(IntervalSchedule(every: .seconds(0)) == nil)
        #expect(IntervalSchedule(every: .milliseconds(1500)) == nil)
        #expect(IntervalSchedule(every: .seconds(90))?.seconds == 90)
        #expect(IntervalSchedule(every: .seconds(90))?.description == "@every 1m30s")
    }
}
