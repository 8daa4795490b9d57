import Foundation
@testable import GnomonCore
import Testing

struct BackfillRangeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var cron: String
        var zone = "UTC"
        var from: String
        var to: String
        var count: Int? = nil
        var first: String? = nil
        var last: String? = nil
        var problem: String? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a daily job over November", cron: "0 2 * * *", from: "2026-11-01", to: "2026-11-30", count: 30,
             first: "2026-11-01T02:00:00Z", last: "2026-11-30T02:00:00Z"),
        Case(name: "one day, both ends inclusive", cron: "0 * * * *", from: "2026-11-26", to: "2026-11-26", count: 24,
             first: "2026-11-26T00:00:00Z", last: "2026-11-26T23:00:00Z"),
        Case(name: "days in the schedule's zone", cron: "30 0 * * *", zone: "America/New_York", from: "2026-11-02", to: "2026-11-03",
             count: 2, first: "2026-11-02T05:30:00Z", last: "2026-11-03T05:30:00Z"),
        Case(name: "the night clocks fall back fires 1:30 once, as the schedule does", cron: "30 1 * * *", zone: "America/New_York",
             from: "2026-11-01", to: "2026-11-01", count: 1, first: "2026-11-01T05:30:00Z"),
        Case(name: "a weekly job", cron: "0 6 * * MON", from: "2026-11-01", to: "2026-11-30", count: 5,
             first: "2026-11-02T06:00:00Z", last: "2026-11-30T06:00:00Z"),
        Case(name: "a reversed range", cron: "0 2 * * *", from: "2026-11-30", to: "2026-11-01", problem: "the range is reversed"),
        Case(name: "no fire time in the range", cron: "0 0 1 1 *", from: "2026-11-01", to: "2026-11-30", problem: "has no fire time from 2026-11-01 through 2026-11-30"),
        Case(name: "a date that does not exist", cron: "0 2 * * *", from: "2026-02-30", to: "2026-03-01", problem: "--from 2026-02-30 is not a date"),
        Case(name: "not a date", cron: "0 2 * * *", from: "2026-11-01", to: "tomorrow", problem: "--to tomorrow is not a date"),
        Case(name: "too many fire times", cron: "* * * * *", from: "2026-11-01", to: "2026-11-30", problem: "more than 10000 fire times"),
    ]

    @Test(arguments: cases)
    func fireTimes(_ item: Case) throws {
        let schedule = try ScheduleSpec(expression: item.cron, timeZone: item.zone).parse().get()
        switch BackfillRange.fireTimes(of: schedule, from: item.from, to: item.to) {
        case .success(let times):
            #expect(item.problem == nil)
            #expect(times.count == item.count)
            if let first = item.first { #expect(times.first.map(ISOTime.utc) == first) }
            if let last = item.last { #expect(times.last.map(ISOTime.utc) == last) }
            #expect(times == times.sorted())
        case .failure(let problem):
            #expect(item.problem.map { problem.message.contains($0) } == true, "\(problem)")
        }
    }
}
