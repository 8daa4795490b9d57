import Foundation
import Testing
@testable import GnomonCore

/// Fire times in zones without a daylight-saving change nearby: fields, lists, ranges, steps,
/// names, month ends, leap days, `L`, `5L`, `1#2`, and the day-field OR rule.
struct CronScheduleTests {
    static let cases: [FireCase] = [
        FireCase("every five minutes", "*/5 * * * *", after: "2026-01-01T00:00:00Z",
                 ["2026-01-01T00:05:00Z", "2026-01-01T00:10:00Z", "2026-01-01T00:15:00Z"]),
        FireCase("a start inside a minute moves to the next match", "*/5 * * * *", after: "2026-01-01T00:04:30Z",
                 ["2026-01-01T00:05:00Z"]),
        FireCase("every five minutes across midnight and year end", "*/5 * * * *", after: "2026-12-31T23:55:00Z",
                 ["2027-01-01T00:00:00Z", "2027-01-01T00:05:00Z"]),
        FireCase("range with a step", "5-50/20 * * * *", after: "2026-01-01T00:00:00Z",
                 ["2026-01-01T00:05:00Z", "2026-01-01T00:25:00Z", "2026-01-01T00:45:00Z", "2026-01-01T01:05:00Z"]),
        FireCase("a start with a step runs to the end of the field", "10/20 * * * *", after: "2026-01-01T00:00:00Z",
                 ["2026-01-01T00:10:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:50:00Z", "2026-01-01T01:10:00Z"]),
        FireCase("lists of hours and minutes", "0,30 9,17 * * *", after: "2026-01-01T09:00:00Z",
                 ["2026-01-01T09:30:00Z", "2026-01-01T17:00:00Z", "2026-01-01T17:30:00Z", "2026-01-02T09:00:00Z"]),
        FireCase("leap day only", "0 0 29 2 *", after: "2026-01-01T00:00:00Z",
                 ["2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z", "2036-02-29T00:00:00Z"]),
        FireCase("leap day across 2100, which is not a leap year", "0 0 29 2 *", after: "2096-03-01T00:00:00Z",
                 ["2104-02-29T00:00:00Z"]),
        FireCase("last day of the month", "0 0 L * *", after: "2026-01-15T00:00:00Z",
                 ["2026-01-31T00:00:00Z", "2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z"]),
        FireCase("last day of a leap February", "0 0 L 2 *", after: "2027-03-01T00:00:00Z",
                 ["2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z"]),
        FireCase("day 31 skips shorter months", "0 0 31 * *", after: "2026-01-31T00:00:00Z",
                 ["2026-03-31T00:00:00Z", "2026-05-31T00:00:00Z", "2026-07-31T00:00:00Z", "2026-08-31T00:00:00Z"]),
        FireCase("the last minute of the year", "59 23 31 12 *", after: "2026-06-01T00:00:00Z",
                 ["2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z"]),
        FireCase("@yearly across year end", "@yearly", after: "2026-12-31T23:59:59Z",
                 ["2027-01-01T00:00:00Z", "2028-01-01T00:00:00Z"]),
        FireCase("@monthly", "@monthly", after: "2026-01-01T00:00:00Z",
                 ["2026-02-01T00:00:00Z", "2026-03-01T00:00:00Z"]),
        FireCase("@weekly fires on Sundays", "@weekly", after: "2026-01-01T00:00:00Z",
                 ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        FireCase("@hourly", "@hourly", after: "2026-01-01T00:00:00Z",
                 ["2026-01-01T01:00:00Z", "2026-01-01T02:00:00Z"]),
        FireCase("last Friday of the month", "0 12 * * 5L", after: "2026-01-01T00:00:00Z",
                 ["2026-01-30T12:00:00Z", "2026-02-27T12:00:00Z", "2026-03-27T12:00:00Z"]),
        FireCase("last Sunday written 7L", "0 12 * * 7L", after: "2026-01-01T00:00:00Z",
                 ["2026-01-25T12:00:00Z", "2026-02-22T12:00:00Z"]),
        FireCase("second Monday", "0 9 * * 1#2", after: "2026-01-01T00:00:00Z",
                 ["2026-01-12T09:00:00Z", "2026-02-09T09:00:00Z", "2026-03-09T09:00:00Z"]),
        FireCase("first Monday by name, any case", "0 9 * * Mon#1", after: "2026-01-01T00:00:00Z",
                 ["2026-01-05T09:00:00Z", "2026-02-02T09:00:00Z", "2026-03-02T09:00:00Z"]),
        FireCase("fifth Monday only in months that have one", "0 0 * * 1#5", after: "2026-01-01T00:00:00Z",
                 ["2026-03-30T00:00:00Z", "2026-06-29T00:00:00Z"]),
        FireCase("fifth Monday of February waits for a leap year starting on a Monday", "0 0 * 2 1#5",
                 after: "2026-01-01T00:00:00Z", ["2044-02-29T00:00:00Z"]),
        FireCase("both day fields restricted: the 13th or any Friday", "0 0 13 * 5", after: "2026-04-01T00:00:00Z",
                 ["2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z", "2026-04-13T00:00:00Z", "2026-04-17T00:00:00Z"]),
        FireCase("a stepped day-of-month counts as restricted", "0 0 */10 * 1", after: "2026-04-01T00:00:00Z",
                 ["2026-04-06T00:00:00Z", "2026-04-11T00:00:00Z", "2026-04-13T00:00:00Z", "2026-04-20T00:00:00Z",
                  "2026-04-21T00:00:00Z"]),
        FireCase("day-of-month alone", "0 0 13 * *", after: "2026-04-01T00:00:00Z",
                 ["2026-04-13T00:00:00Z", "2026-05-13T00:00:00Z"]),
        FireCase("day-of-week alone", "0 0 * * 5", after: "2026-04-01T00:00:00Z",
                 ["2026-04-03T00:00:00Z", "2026-04-10T00:00:00Z"]),
        FireCase("question mark means any", "0 0 ? * 1", after: "2026-04-01T00:00:00Z",
                 ["2026-04-06T00:00:00Z", "2026-04-13T00:00:00Z"]),
        FireCase("Sunday written as 7", "0 0 * * 7", after: "2026-01-01T00:00:00Z",
                 ["2026-01-04T00:00:00Z", "2026-01-11T00:00:00Z"]),
        FireCase("weekday range by name", "30 2 * * MON-FRI", after: "2026-01-02T03:00:00Z",
                 ["2026-01-05T02:30:00Z", "2026-01-06T02:30:00Z"]),
        FireCase("weekday range ending in 7", "0 0 * * 6-7", after: "2026-01-01T00:00:00Z",
                 ["2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z", "2026-01-10T00:00:00Z"]),
        FireCase("month names in a list", "0 0 1 jan,JUL *", after: "2026-01-01T00:00:00Z",
                 ["2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z"]),
        FireCase("a zone without daylight saving", "0 9 * * *", zone: "Asia/Tokyo", after: "2026-03-08T00:00:00+09:00",
                 ["2026-03-08T09:00:00+09:00", "2026-03-09T09:00:00+09:00"]),
        FireCase("a fixed-offset zone", "0 0 * * *", zone: "Etc/GMT-14", after: "2026-01-01T00:00:00+14:00",
                 ["2026-01-02T00:00:00+14:00"]),
        FireCase("before 1970", "0 0 29 2 *", after: "1950-01-01T00:00:00Z",
                 ["1952-02-29T00:00:00Z", "1956-02-29T00:00:00Z"]),
    ]

    @Test(arguments: cases)
    func fireTimes(_ c: FireCase) throws {
        #expect(try CronTestSupport.fires(c.expression, c.zone, after: c.after, count: c.expected.count) == c.expected)
    }

    @Test func aFractionalStartFiresAtTheNextWholeMatch() throws {
        let schedule = try CronTestSupport.schedule("* * * * *")
        let start = CronTestSupport.instant("2026-01-01T00:00:00Z")
        #expect(schedule.next(after: start.addingTimeInterval(0.25)) == start.addingTimeInterval(60))
        #expect(schedule.next(after: start.addingTimeInterval(-0.25)) == start)
    }

    @Test func instantsBeyondTheSupportedRangeHaveNoNextTime() throws {
        let schedule = try CronTestSupport.schedule("* * * * *")
        #expect(schedule.next(after: Date(timeIntervalSince1970: 1e14)) == nil)
        #expect(schedule.next(after: Date(timeIntervalSince1970: .infinity)) == nil)
        #expect(schedule.next(after: Date(timeIntervalSince1970: .nan)) == nil)
    }

    @Test func theHourFieldDecidesWhetherAnExpressionFollowsRealTime() throws {
        let realTime = ["* * * * *", "0 */2 * * *", "0 8-18/2 * * *", "0 ? * * *", "@hourly"]
        let wallTime = ["0 2 * * *", "* 2 * * *", "0 0-23 * * *", "@daily", "30 1,2 * * *"]
        for text in realTime { #expect(try CronExpression.parse(text).get().followsRealTime, "\(text)") }
        for text in wallTime { #expect(try !CronExpression.parse(text).get().followsRealTime, "\(text)") }
    }

    @Test func nextTimesStopsAtTheCount() throws {
        let schedule = try CronTestSupport.schedule("@hourly")
        let start = CronTestSupport.instant("2026-01-01T00:00:00Z")
        #expect(schedule.nextTimes(after: start, count: 0).isEmpty)
        #expect(schedule.nextTimes(after: start, count: 24).count == 24)
    }
}
