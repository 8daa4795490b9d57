import Foundation
import GnomonCore

/// How many successive fire times per second `Schedule.next(after:)` produces for typical schedules.
enum CronBenchmark {
    struct Case {
        let label: String
        let spec: ScheduleSpec
    }

    static let cases: [Case] = [
        Case(label: "*/5 * * * * (UTC)", spec: ScheduleSpec(expression: "*/5 * * * *")),
        Case(label: "30 2 * * 1-5 (Europe/London)", spec: ScheduleSpec(expression: "30 2 * * 1-5", timeZone: "Europe/London")),
        Case(label: "0 0 29 2 * (UTC)", spec: ScheduleSpec(expression: "0 0 29 2 *")),
        Case(label: "@every 90s", spec: ScheduleSpec(expression: "@every 90s")),
        Case(label: "0 9 * * mon#1 (America/New_York)", spec: ScheduleSpec(expression: "0 9 * * mon#1", timeZone: "America/New_York")),
        Case(label: "0 * * * * (America/New_York)", spec: ScheduleSpec(expression: "0 * * * *", timeZone: "America/New_York")),
    ]

    /// Each case runs for about this long (after a short warm-up).
    static let duration: Duration = .milliseconds(500)

    static func run() {
        print("cron: successive next(after:) calls from 2026-01-01T00:00:00Z")
        for c in cases {
            let schedule: any Schedule
            switch c.spec.makeSchedule() {
            case .success(let built): schedule = built
            case .failure(let problem):
                print("  \(c.label): \(problem)")
                continue
            }
            let (rate, checksum) = measure(schedule)
            let rateText = String(format: "%12.0f", rate)
            let label = c.label.padding(toLength: 36, withPad: " ", startingAt: 0)
            print("  \(label) \(rateText) fire times/s  (checksum \(String(format: "%.3e", checksum)))")
        }
    }

    /// Fire times per second, and a checksum of the times (so the work cannot be optimised away).
    ///
    /// Each call starts from the previous fire time; the walk restarts at 2026 once it passes 2100,
    /// keeping the times (and the zone's offset table) in the range real schedules use.
    private static func measure(_ schedule: any Schedule) -> (Double, Double) {
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        let end = Date(timeIntervalSince1970: 4_102_444_800)
        var cursor = start
        var checksum = 0.0
        for _ in 0..<1000 { cursor = schedule.next(after: cursor) ?? start }
        let clock = ContinuousClock()
        let began = clock.now
        var count = 0
        cursor = start
        while clock.now - began < duration {
            for _ in 0..<1000 {
                cursor = schedule.next(after: cursor) ?? start
                checksum += cursor.timeIntervalSince1970
                if cursor > end { cursor = start }
            }
            count += 1000
        }
        let elapsed = (clock.now - began).secondsDouble
        return (Double(count) / elapsed, checksum)
    }
}
