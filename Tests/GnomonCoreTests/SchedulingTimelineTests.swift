import Foundation
import Testing
@testable import GnomonCore

/// `JobTimeline`: what is due at a given moment, driven by a manual clock (times passed in).
struct SchedulingTimelineTests {
    /// A row: a schedule whose fire times are decided up to `considered`, asked at each of `asks`
    /// in turn; `expected` is what each ask says, written `none`, `on 2026-...` or
    /// `missed [decision time, ...]`.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let expression: String
        let zone: String
        let catchup: CatchupPolicy
        let paused: Bool
        let delay: TimeInterval
        let considered: String
        let asks: [String]
        let expected: [String]

        init(
            _ name: String, _ expression: String, zone: String = "UTC", catchup: CatchupPolicy = .latest,
            paused: Bool = false, delay: TimeInterval = 0, considered: String, asks: [String], _ expected: [String]
        ) {
            self.name = name
            self.expression = expression
            self.zone = zone
            self.catchup = catchup
            self.paused = paused
            self.delay = delay
            self.considered = considered
            self.asks = asks
            self.expected = expected
        }

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case("nothing is due before the first fire time", "*/5 * * * *",
             considered: "2026-01-01T12:00:00Z", asks: ["2026-01-01T12:04:59Z"], ["none"]),
        Case("a time reached while watching fires on time", "*/5 * * * *",
             considered: "2026-01-01T12:00:00Z", asks: ["2026-01-01T12:05:00.300Z"], ["on 2026-01-01T12:05:00Z"]),
        Case("the same time is never offered twice", "*/5 * * * *",
             considered: "2026-01-01T12:00:00Z", asks: ["2026-01-01T12:05:00Z", "2026-01-01T12:05:02Z", "2026-01-01T12:10:00Z"],
             ["on 2026-01-01T12:05:00Z", "none", "on 2026-01-01T12:10:00Z"]),
        Case("@every 1s fires on its epoch-aligned seconds", "@every 1s",
             considered: "2026-01-01T12:00:00.600Z", asks: ["2026-01-01T12:00:01.010Z", "2026-01-01T12:00:02Z"],
             ["on 2026-01-01T12:00:01Z", "on 2026-01-01T12:00:02Z"]),
        Case("@every 90s counts from the epoch, not from the start", "@every 90s",
             considered: "2026-01-01T00:00:10Z", asks: ["2026-01-01T00:01:30Z"], ["on 2026-01-01T00:01:30Z"]),
        Case("a little late (busy machine) is still on time", "0 * * * *",
             considered: "2026-01-01T11:30:00Z", asks: ["2026-01-01T12:00:20Z"], ["on 2026-01-01T12:00:00Z"]),
        Case("jitter widens the tolerance by its delay", "0 * * * *", delay: 25,
             considered: "2026-01-01T11:30:00Z", asks: ["2026-01-01T12:00:50Z"], ["on 2026-01-01T12:00:00Z"]),
        Case("much later than its time (suspended) follows catch-up", "0 * * * *",
             considered: "2026-01-01T11:30:00Z", asks: ["2026-01-01T12:01:00Z"],
             ["missed [caughtUp 2026-01-01T12:00:00Z]"]),
        Case("two times due at once is a catch-up", "@every 1s",
             considered: "2026-01-01T12:00:00Z", asks: ["2026-01-01T12:00:02.500Z"],
             ["missed [missed 2026-01-01T12:00:01Z, caughtUp 2026-01-01T12:00:02Z]"]),
        Case("after a catch-up the next time fires on time", "@every 1s",
             considered: "2026-01-01T12:00:00Z", asks: ["2026-01-01T12:00:02.500Z", "2026-01-01T12:00:03Z"],
             ["missed [missed 2026-01-01T12:00:01Z, caughtUp 2026-01-01T12:00:02Z]", "on 2026-01-01T12:00:03Z"]),
        Case("a paused job's missed times are recorded paused", "@every 1s", paused: true,
             considered: "2026-01-01T12:00:00Z", asks: ["2026-01-01T12:00:02.500Z"],
             ["missed [paused 2026-01-01T12:00:01Z, paused 2026-01-01T12:00:02Z]"]),
        // New York, 8 March 2026: 02:00 EST becomes 03:00 EDT.
        Case("DST spring: 02:30 New York fires at 03:00 EDT", "30 2 * * *", zone: "America/New_York",
             considered: "2026-03-07T12:00:00-05:00", asks: ["2026-03-08T02:59:59-04:00", "2026-03-08T03:00:00-04:00"],
             ["none", "on 2026-03-08T07:00:00Z"]),
        Case("DST fall: 01:30 New York fires on the first pass only", "30 1 * * *", zone: "America/New_York",
             considered: "2026-10-31T12:00:00-04:00",
             asks: ["2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-02T01:30:00-05:00"],
             ["on 2026-11-01T05:30:00Z", "none", "on 2026-11-02T06:30:00Z"]),
        Case("DST fall: hourly New York fires at 01:00 EDT and again at 01:00 EST", "0 * * * *", zone: "America/New_York",
             considered: "2026-11-01T00:30:00-04:00",
             asks: ["2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"],
             ["on 2026-11-01T05:00:00Z", "on 2026-11-01T06:00:00Z", "on 2026-11-01T07:00:00Z"]),
        Case("downtime over the spring night, catchup all: each day's time once", "30 2 * * *",
             zone: "America/New_York", catchup: .all,
             considered: "2026-03-07T12:00:00-05:00", asks: ["2026-03-09T12:00:00-04:00"],
             ["missed [caughtUp 2026-03-08T07:00:00Z, caughtUp 2026-03-09T06:30:00Z]"]),
        Case("downtime over the spring night, catchup latest", "30 2 * * *",
             zone: "America/New_York", catchup: .latest,
             considered: "2026-03-07T12:00:00-05:00", asks: ["2026-03-09T12:00:00-04:00"],
             ["missed [missed 2026-03-08T07:00:00Z, caughtUp 2026-03-09T06:30:00Z]"]),
        Case("downtime over the fall night, hourly, catchup none: three real hours missed", "0 * * * *",
             zone: "America/New_York", catchup: .none,
             considered: "2026-11-01T00:30:00-04:00", asks: ["2026-11-01T02:30:00-05:00"],
             ["missed [missed 2026-11-01T05:00:00Z, missed 2026-11-01T06:00:00Z, missed 2026-11-01T07:00:00Z]"]),
        Case("downtime over the fall night, 01:30 daily: the repeated hour counts once", "30 1 * * *",
             zone: "America/New_York", catchup: .all,
             considered: "2026-10-31T12:00:00-04:00", asks: ["2026-11-02T12:00:00-05:00"],
             ["missed [caughtUp 2026-11-01T05:30:00Z, caughtUp 2026-11-02T06:30:00Z]"]),
    ]

    @Test(arguments: cases)
    func due(_ c: Case) throws {
        let schedule = try ScheduleSpec(expression: c.expression, timeZone: c.zone).makeSchedule().get()
        var timeline = JobTimeline(schedule: schedule, considered: Self.time(c.considered))
        var said: [String] = []
        for ask in c.asks {
            switch timeline.takeDue(now: Self.time(ask), delay: c.delay, policy: c.catchup, paused: c.paused) {
            case .none:
                said.append("none")
            case .onTime(let time):
                said.append("on \(ISOTime.utc(time).replacingOccurrences(of: ".000Z", with: "Z"))")
            case .missed(let plan):
                let times = plan.times.map { "\($0.decision.rawValue) \(Self.text($0.fireTime))" }
                said.append("missed [\(times.joined(separator: ", "))]")
            }
        }
        #expect(said == c.expected)
    }

    @Test
    func aScheduleChangeNeverFiresForTheChange() throws {
        // Daily at 03:00 changed at 02:00 to daily at 01:00: 01:00 today is before the change.
        let daily1 = try ScheduleSpec(expression: "0 1 * * *").makeSchedule().get()
        var timeline = JobTimeline(schedule: daily1, considered: Self.time("2026-01-01T03:00:00Z"))
        timeline.skip(to: Self.time("2026-01-02T02:00:00Z"))
        #expect(timeline.takeDue(now: Self.time("2026-01-02T02:00:01Z"), policy: .all, paused: false) == .none)
        #expect(timeline.nextFireTime == Self.time("2026-01-03T01:00:00Z"))
    }

    static func time(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = text.contains(".") ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        guard let date = formatter.date(from: text) else { fatalError("bad time in a test table: \(text)") }
        return date
    }

    static func text(_ date: Date) -> String {
        ISOTime.utc(date).replacingOccurrences(of: ".000Z", with: "Z")
    }
}
