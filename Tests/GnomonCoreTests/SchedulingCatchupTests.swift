import Foundation
import Testing
@testable import GnomonCore

/// `CatchupPlanner`: what each `catchup` policy does with the times missed while the daemon was down.
struct SchedulingCatchupTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let expression: String
        let policy: CatchupPolicy
        let paused: Bool
        let baseline: String
        let now: String
        /// Decisions of the listed times, oldest first, with runs of one decision collapsed as
        /// `decision xN`.
        let decisions: [String]
        /// `count decision` of the unlisted older times, if any.
        let unlisted: String?
        /// A word the warning must contain, or nil when there must be no warning.
        let warning: String?

        init(
            _ name: String, _ expression: String, _ policy: CatchupPolicy, paused: Bool = false,
            baseline: String, now: String, _ decisions: [String], unlisted: String? = nil, warning: String? = nil
        ) {
            self.name = name
            self.expression = expression
            self.policy = policy
            self.paused = paused
            self.baseline = baseline
            self.now = now
            self.decisions = decisions
            self.unlisted = unlisted
            self.warning = warning
        }

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case("nothing missed gives an empty plan", "0 * * * *", .latest,
             baseline: "2026-01-01T12:00:00Z", now: "2026-01-01T12:59:59Z", []),
        Case("none records every missed time as missed", "0 * * * *", .none,
             baseline: "2026-01-01T09:30:00Z", now: "2026-01-01T12:30:00Z", ["missed x3"]),
        Case("latest runs the most recent time once", "0 * * * *", .latest,
             baseline: "2026-01-01T09:30:00Z", now: "2026-01-01T12:30:00Z", ["missed x2", "caughtUp x1"]),
        Case("latest with one missed time runs it", "0 * * * *", .latest,
             baseline: "2026-01-01T11:30:00Z", now: "2026-01-01T12:30:00Z", ["caughtUp x1"]),
        Case("all runs every missed time in order", "0 * * * *", .all,
             baseline: "2026-01-01T09:30:00Z", now: "2026-01-01T12:30:00Z", ["caughtUp x3"]),
        Case("all runs exactly the cap of 100 without a warning", "@every 1s", .all,
             baseline: "2026-01-01T00:00:00Z", now: "2026-01-01T00:01:40Z", ["caughtUp x100"]),
        Case("all beyond the cap drops the oldest and says how many", "@every 1s", .all,
             baseline: "2026-01-01T00:00:00Z", now: "2026-01-01T00:04:10Z", ["dropped x150", "caughtUp x100"],
             warning: "150 older ones were dropped"),
        Case("a time exactly at now counts as missed", "0 * * * *", .none,
             baseline: "2026-01-01T11:30:00Z", now: "2026-01-01T12:00:00Z", ["missed x1"]),
        Case("the baseline time itself is not missed again", "0 * * * *", .none,
             baseline: "2026-01-01T12:00:00Z", now: "2026-01-01T13:30:00Z", ["missed x1"]),
        Case("paused records every time as paused and runs none", "0 * * * *", .all, paused: true,
             baseline: "2026-01-01T09:30:00Z", now: "2026-01-01T12:30:00Z", ["paused x3"]),
        Case("more than 1,000 missed times: the rest are summed up", "@every 1s", .none,
             baseline: "2026-01-01T00:00:00Z", now: "2026-01-01T01:23:20Z", ["missed x1000"], unlisted: "4000 missed"),
        Case("latest after a long downtime still runs the newest time", "@every 1s", .latest,
             baseline: "2026-01-01T00:00:00Z", now: "2026-01-01T01:23:20Z", ["missed x999", "caughtUp x1"],
             unlisted: "4000 missed"),
        Case("all after a very long downtime warns with an estimate", "@every 60s", .all,
             baseline: "2024-01-01T00:00:00Z", now: "2026-01-01T00:00:00Z", ["dropped x900", "caughtUp x100"],
             unlisted: "about dropped", warning: "about"),
    ]

    @Test(arguments: cases)
    func plan(_ c: Case) throws {
        let schedule = try ScheduleSpec(expression: c.expression).makeSchedule().get()
        let plan = CatchupPlanner.plan(
            schedule: schedule, policy: c.policy, paused: c.paused,
            after: SchedulingTimelineTests.time(c.baseline), through: SchedulingTimelineTests.time(c.now))
        #expect(Self.collapse(plan.times.map(\.decision)) == c.decisions)
        if let expected = c.unlisted {
            let unlisted = try #require(plan.unlisted)
            let text = "\(unlisted.exact ? "\(unlisted.count)" : "about") \(unlisted.decision.rawValue)"
            #expect(text == expected)
        } else {
            #expect(plan.unlisted == nil)
        }
        if let word = c.warning {
            #expect(plan.warning?.contains(word) == true, "warning: \(plan.warning ?? "none")")
        } else {
            #expect(plan.warning == nil)
        }
        // Listed times strictly increase, lie after the baseline and at or before now.
        let times = plan.times.map(\.fireTime)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(times.allSatisfy { $0 > SchedulingTimelineTests.time(c.baseline) && $0 <= SchedulingTimelineTests.time(c.now) })
    }

    @Test
    func theNewestListedTimeIsTheLatestFireTimeEvenAfterEstimating() throws {
        // Two years of a minutely schedule: the walk estimates the middle but must end on the last
        // fire time at or before now. (`@every 60s` fires when `* * * * *` does, and its search
        // is cheap enough for a test.)
        let schedule = try ScheduleSpec(expression: "@every 60s").makeSchedule().get()
        let now = SchedulingTimelineTests.time("2026-01-01T00:00:30Z")
        let plan = CatchupPlanner.plan(
            schedule: schedule, policy: .latest, paused: false,
            after: SchedulingTimelineTests.time("2024-01-01T00:00:00Z"), through: now)
        #expect(plan.runs == [SchedulingTimelineTests.time("2026-01-01T00:00:00Z")])
        let total = 731 * 24 * 60  // 2024 is a leap year
        #expect(abs(plan.total - total) < total / 100, "estimated \(plan.total), true \(total)")
    }

    static func collapse(_ decisions: [MissedDecision]) -> [String] {
        var groups: [(MissedDecision, Int)] = []
        for decision in decisions {
            if let last = groups.last, last.0 == decision { groups[groups.count - 1].1 += 1 } else { groups.append((decision, 1)) }
        }
        return groups.map { "\($0.0.rawValue) x\($0.1)" }
    }
}
