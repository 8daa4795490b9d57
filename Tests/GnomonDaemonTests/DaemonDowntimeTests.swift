import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// Catch-up after the daemon was down, and New York's daylight-saving nights, watched and slept
/// through, on a manual clock: the daemon stops, the clock moves on, the next daemon starts on the
/// same home and decides what was missed.
@Suite(.timeLimit(.minutes(2)))
struct DaemonDowntimeTests {
    struct CatchupCase: Sendable, CustomTestStringConvertible {
        let policy: String
        /// The job's ticks for 1 s (before the downtime), 2-4 s (missed while down) and 5 s.
        let ticks: [Decision]
        let caughtUp: Int
        var testDescription: String {
            "catchup \(policy): \(ticks.filter { $0.second > 1 && $0.second < 5 }.map(\.decision.rawValue))"
        }
    }

    static let catchupCases: [CatchupCase] = [
        CatchupCase(policy: "none",
                    ticks: [.init(1, .started), .init(2, .missed), .init(3, .missed), .init(4, .missed), .init(5, .started)],
                    caughtUp: 0),
        CatchupCase(policy: "latest",
                    ticks: [.init(1, .started), .init(2, .missed), .init(3, .missed), .init(4, .caughtUp), .init(5, .started)],
                    caughtUp: 1),
        CatchupCase(policy: "all",
                    ticks: [.init(1, .started), .init(2, .caughtUp), .init(3, .caughtUp), .init(4, .caughtUp), .init(5, .started)],
                    caughtUp: 3),
    ]

    /// Down from 1.5 s to 4.3 s: the times 2, 3 and 4 pass with no daemon.
    @Test(arguments: catchupCases)
    func catchupAfterDowntime(_ c: CatchupCase) async throws {
        let d = try ClockedDaemon()
        try d.write(job: "c", "schedule: \"@every 1s\"\ncatchup: \(c.policy)\ntasks:\n  a: { run: \"true\" }\n")
        try await d.start()
        try await d.advance(to: ClockedDaemon.at(1.5))
        try await d.stop()
        try await d.advance(to: ClockedDaemon.at(4.3))
        // A job added while the daemon is down starts from its first sight: no catch-up.
        try d.write(job: "new", "schedule: \"@every 1s\"\ncatchup: all\ntasks:\n  a: { run: \"true\" }\n")
        try await d.start()
        try await d.advance(to: ClockedDaemon.at(5.5))
        try await d.stop()

        #expect(try d.decisions("c") == c.ticks, "\(d.logs.text)")
        let caughtUp = try d.runs(of: "c").filter { $0.summary.trigger == .catchup }
        #expect(caughtUp.count == c.caughtUp)
        #expect(caughtUp.allSatisfy { $0.summary.status == .succeeded })
        #expect(try d.decisions("new") == [.init(5, .started)])
    }

    // MARK: - New York's daylight-saving nights

    /// New York 2026: 02:00 EST becomes 03:00 EDT on 8 March; 02:00 EDT becomes 01:00 EST on
    /// 1 November (Docs/scheduling.md, "Time zones and daylight saving").
    struct NightCase: Sendable, CustomTestStringConvertible {
        let name: String
        let cron: String
        /// The daemon watches from the first instant to the second; with a third, it is down from
        /// the second to the third and watches again up to the fourth.
        let times: [String]
        /// Every tick: the fire time in New York and the decision.
        let ticks: [String]
        var testDescription: String { name }
    }

    static let nightCases: [NightCase] = [
        NightCase(name: "spring night, watched: 30 1 fires at 01:30 EST", cron: "30 1 * * *",
                  times: ["2026-03-07T12:00:00-05:00", "2026-03-09T12:00:00-04:00"],
                  ticks: ["2026-03-08T01:30:00-05:00 started", "2026-03-09T01:30:00-04:00 started"]),
        NightCase(name: "spring night, watched: 30 2 fires once, at 03:00 EDT where the gap ends", cron: "30 2 * * *",
                  times: ["2026-03-07T12:00:00-05:00", "2026-03-09T12:00:00-04:00"],
                  ticks: ["2026-03-08T03:00:00-04:00 started", "2026-03-09T02:30:00-04:00 started"]),
        NightCase(name: "fall night, watched: 30 1 fires once, on the EDT pass", cron: "30 1 * * *",
                  times: ["2026-10-31T12:00:00-04:00", "2026-11-02T12:00:00-05:00"],
                  ticks: ["2026-11-01T01:30:00-04:00 started", "2026-11-02T01:30:00-05:00 started"]),
        NightCase(name: "fall night, watched: 30 2 fires once, at 02:30 EST", cron: "30 2 * * *",
                  times: ["2026-10-31T12:00:00-04:00", "2026-11-02T12:00:00-05:00"],
                  ticks: ["2026-11-01T02:30:00-05:00 started", "2026-11-02T02:30:00-05:00 started"]),
        NightCase(name: "spring night, down from midnight to 06:00: 30 1 is caught up once", cron: "30 1 * * *",
                  times: ["2026-03-07T12:00:00-05:00", "2026-03-08T00:00:00-05:00", "2026-03-08T06:00:00-04:00",
                          "2026-03-09T12:00:00-04:00"],
                  ticks: ["2026-03-08T01:30:00-05:00 caught_up", "2026-03-09T01:30:00-04:00 started"]),
        NightCase(name: "spring night, down from midnight to 06:00: 30 2 is caught up once, for 03:00 EDT",
                  cron: "30 2 * * *",
                  times: ["2026-03-07T12:00:00-05:00", "2026-03-08T00:00:00-05:00", "2026-03-08T06:00:00-04:00",
                          "2026-03-09T12:00:00-04:00"],
                  ticks: ["2026-03-08T03:00:00-04:00 caught_up", "2026-03-09T02:30:00-04:00 started"]),
        NightCase(name: "fall night, down from midnight to 06:00: 30 1 is caught up once, for the EDT pass",
                  cron: "30 1 * * *",
                  times: ["2026-10-31T12:00:00-04:00", "2026-11-01T00:00:00-04:00", "2026-11-01T06:00:00-05:00",
                          "2026-11-02T12:00:00-05:00"],
                  ticks: ["2026-11-01T01:30:00-04:00 caught_up", "2026-11-02T01:30:00-05:00 started"]),
        NightCase(name: "fall night, down from midnight to 06:00: 30 2 is caught up once, for 02:30 EST",
                  cron: "30 2 * * *",
                  times: ["2026-10-31T12:00:00-04:00", "2026-11-01T00:00:00-04:00", "2026-11-01T06:00:00-05:00",
                          "2026-11-02T12:00:00-05:00"],
                  ticks: ["2026-11-01T02:30:00-05:00 caught_up", "2026-11-02T02:30:00-05:00 started"]),
        NightCase(name: "fall night, down between the two passes of 01:30: nothing is caught up", cron: "30 1 * * *",
                  times: ["2026-10-31T12:00:00-04:00", "2026-11-01T01:45:00-04:00", "2026-11-01T01:45:00-05:00",
                          "2026-11-02T12:00:00-05:00"],
                  ticks: ["2026-11-01T01:30:00-04:00 started", "2026-11-02T01:30:00-05:00 started"]),
    ]

    static let newYork = TimeZone(identifier: "America/New_York")!

    @Test(arguments: nightCases)
    func newYorkNight(_ c: NightCase) async throws {
        let times = try c.times.map { try #require(ISOTime.parse($0), "\($0)") }
        // Hourly polls: the daemon wakes at its fire times and once an hour, not every second.
        let d = try ClockedDaemon(start: times[0], polls: (reload: .seconds(3600), triggers: .seconds(3600)))
        try d.write(job: "night", """
            schedule: { cron: "\(c.cron)", timezone: America/New_York }
            catchup: all
            tasks:
              a: { run: "true" }
            """)
        try await d.start()
        try await d.advance(to: times[1])
        if times.count == 4 {
            try await d.stop()
            try await d.advance(to: times[2])
            try await d.start()
            try await d.advance(to: times[3])
        }
        try await d.stop()
        let ticks = try d.ticks("night").map { "\(ISOTime.format($0.fireTime, zone: Self.newYork)) \($0.decision.rawValue)" }
        #expect(ticks == c.ticks, "\(d.logs.text)")
        let runs = try d.runs(of: "night")
        #expect(runs.map { ISOTime.format($0.summary.scheduledAt, zone: Self.newYork) } == c.ticks.map { String($0.prefix(25)) })
        #expect(runs.allSatisfy { $0.summary.status == .succeeded })
    }
}
