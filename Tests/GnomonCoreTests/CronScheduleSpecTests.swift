import Foundation
import Testing
@testable import GnomonCore

/// `ScheduleSpec.makeSchedule()`: which part a problem is about, time-zone names and jitter.
struct CronScheduleSpecTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let spec: ScheduleSpec
        let part: ScheduleProblem.Part
        let message: String
        var testDescription: String { name }
    }

    static let problems: [Case] = [
        Case(name: "misspelt zone", spec: ScheduleSpec(expression: "@daily", timeZone: "Europe/Lodon"),
             part: .timeZone, message: #"unknown time zone "Europe/Lodon"; did you mean "Europe/London"?"#),
        Case(name: "zone in the wrong case", spec: ScheduleSpec(expression: "@daily", timeZone: "america/new_york"),
             part: .timeZone, message: #"unknown time zone "america/new_york"; did you mean "America/New_York"?"#),
        Case(name: "city without its region", spec: ScheduleSpec(expression: "@daily", timeZone: "London"),
             part: .timeZone, message: #"unknown time zone "London"; did you mean "Europe/London"?"#),
        Case(name: "nothing close", spec: ScheduleSpec(expression: "@daily", timeZone: "Mars/Olympus_Mons"),
             part: .timeZone,
             message: #"unknown time zone "Mars/Olympus_Mons"; use an IANA name such as Europe/London, America/New_York or UTC"#),
        Case(name: "empty zone", spec: ScheduleSpec(expression: "@daily", timeZone: ""),
             part: .timeZone,
             message: "the time zone is empty; use an IANA name such as Europe/London, America/New_York or UTC"),
        Case(name: "the zone is checked for @every too", spec: ScheduleSpec(expression: "@every 5m", timeZone: "Utc"),
             part: .timeZone, message: #"unknown time zone "Utc"; did you mean "UTC"?"#),
        Case(name: "the expression is checked before the zone", spec: ScheduleSpec(expression: "61 * * * *", timeZone: "Nowhere"),
             part: .expression, message: #"minute 61 is above the maximum 59 in "61 * * * *""#),
        Case(name: "jitter as long as the gap",
             spec: ScheduleSpec(expression: "*/5 * * * *", jitter: .seconds(300)), part: .jitter,
             message: #"jitter 5m must be shorter than 5m, the shortest time between two fire times of "*/5 * * * *""#),
        Case(name: "jitter longer than an interval",
             spec: ScheduleSpec(expression: "@every 90s", jitter: .seconds(120)), part: .jitter,
             message: #"jitter 2m must be shorter than 1m30s, the shortest time between two fire times of "@every 90s""#),
        Case(name: "jitter longer than a day for a daily job",
             spec: ScheduleSpec(expression: "0 9 * * *", jitter: .seconds(86_400)), part: .jitter,
             message: #"jitter 1d must be shorter than 1d, the shortest time between two fire times of "0 9 * * *""#),
        Case(name: "jitter against the gap across midnight",
             spec: ScheduleSpec(expression: "0 0,23 * * *", jitter: .seconds(3600)), part: .jitter,
             message: #"jitter 1h must be shorter than 1h, the shortest time between two fire times of "0 0,23 * * *""#),
        Case(name: "negative jitter",
             spec: ScheduleSpec(expression: "@daily", jitter: .seconds(-1)), part: .jitter,
             message: "jitter must be zero or more (got -1.0 seconds)"),
    ]

    @Test(arguments: problems)
    func rejects(_ c: Case) {
        guard case .failure(let problem) = c.spec.makeSchedule() else {
            Issue.record("\(c.spec) was accepted, expected: \(c.message)")
            return
        }
        #expect(problem.part == c.part)
        #expect(problem.message == c.message)
    }

    struct ValidCase: CustomTestStringConvertible, Sendable {
        let name: String
        let spec: ScheduleSpec
        var testDescription: String { name }
    }

    static let valid: [ValidCase] = [
        ValidCase(name: "UTC by default", spec: ScheduleSpec(expression: "@daily")),
        ValidCase(name: "GMT", spec: ScheduleSpec(expression: "@daily", timeZone: "GMT")),
        ValidCase(name: "an IANA zone", spec: ScheduleSpec(expression: "@daily", timeZone: "Europe/London")),
        ValidCase(name: "jitter just under the gap", spec: ScheduleSpec(expression: "*/5 * * * *", jitter: .seconds(299))),
        ValidCase(name: "zero jitter", spec: ScheduleSpec(expression: "@every 1s", jitter: .zero)),
        ValidCase(name: "hours of jitter on a daily job", spec: ScheduleSpec(expression: "0 9 * * *", jitter: .seconds(7200))),
    ]

    @Test(arguments: valid)
    func accepts(_ c: ValidCase) throws {
        let schedule = try c.spec.makeSchedule().get()
        #expect(schedule.next(after: CronTestSupport.instant("2026-01-01T00:00:00Z")) != nil)
    }

    @Test func theScheduleTypesAreTheOnesDescribed() throws {
        #expect(try ScheduleSpec(expression: "@every 5m").makeSchedule().get() is IntervalSchedule)
        let cron = try #require(try ScheduleSpec(expression: "0 9 * * *", timeZone: "Asia/Tokyo").makeSchedule().get()
            as? CronSchedule)
        #expect(cron.expression.text == "0 9 * * *")
        #expect(cron.timeZone.identifier == "Asia/Tokyo")
    }
}
