import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// Firing on a manual clock: what the daemon decides for each fire time, and the runs it creates,
/// while it watches time pass or when the clock jumps (a busy or suspended machine).
@Suite(.timeLimit(.minutes(2)))
struct DaemonFiringTests {
    /// How the clock moves, in seconds after `ClockedDaemon.start`.
    enum Move: Sendable {
        /// Time passes with the daemon watching: it wakes at each of its times on the way.
        case watch(to: Double)
        /// The clock jumps (the machine was suspended or stalled): the daemon sees only the new time.
        case jump(to: Double)
    }

    /// A run as a test states it: its fire time, trigger, and how late after it the run was created.
    struct ExpectedRun: Hashable, CustomStringConvertible {
        let second: Double
        let trigger: RunTrigger
        let late: Double
        init(_ second: Double, _ trigger: RunTrigger, late: Double = 0) {
            self.second = second
            self.trigger = trigger
            self.late = late
        }

        var description: String { "\(second) \(trigger.rawValue) +\(late)s" }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let job: String
        let moves: [Move]
        let ticks: [Decision]
        let runs: [ExpectedRun]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "an every-second job fires once per second, each run created at its exact time",
             job: "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"true\" }\n",
             moves: [.watch(to: 4.5)],
             ticks: [.init(1, .started), .init(2, .started), .init(3, .started), .init(4, .started)],
             runs: [.init(1, .schedule), .init(2, .schedule), .init(3, .schedule), .init(4, .schedule)]),
        Case(name: "a cron job fires at its minutes and at nothing between them",
             job: "schedule: \"*/5 * * * *\"\ntasks:\n  a: { run: \"true\" }\n",
             moves: [.watch(to: 12 * 60 + 30)],
             ticks: [.init(300, .started), .init(600, .started)],
             runs: [.init(300, .schedule), .init(600, .schedule)]),
        Case(name: "a time reached 20 s late (a busy machine) still fires on time",
             job: "schedule: \"* * * * *\"\ntasks:\n  a: { run: \"true\" }\n",
             moves: [.jump(to: 80)],
             ticks: [.init(60, .started)],
             runs: [.init(60, .schedule, late: 20)]),
        Case(name: "a time reached 40 s late (a suspended machine) is caught up",
             job: "schedule: \"* * * * *\"\ntasks:\n  a: { run: \"true\" }\n",
             moves: [.jump(to: 100)],
             ticks: [.init(60, .caughtUp)],
             runs: [.init(60, .catchup, late: 40)]),
        Case(name: "a suspension over three times with catchup all runs each once, in order",
             job: "schedule: \"@every 10s\"\ncatchup: all\ntasks:\n  a: { run: \"true\" }\n",
             moves: [.jump(to: 35)],
             ticks: [.init(10, .caughtUp), .init(20, .caughtUp), .init(30, .caughtUp)],
             runs: [.init(10, .catchup, late: 25), .init(20, .catchup, late: 15), .init(30, .catchup, late: 5)]),
        Case(name: "a suspension with catchup none records the times missed and waits for the next",
             job: "schedule: \"@every 10s\"\ncatchup: none\ntasks:\n  a: { run: \"true\" }\n",
             moves: [.jump(to: 35), .watch(to: 41)],
             ticks: [.init(10, .missed), .init(20, .missed), .init(30, .missed), .init(40, .started)],
             runs: [.init(40, .schedule)]),
        Case(name: "a job paused in its file records its times paused and runs nothing",
             job: "schedule: \"@every 1s\"\npaused: true\ntasks:\n  a: { run: \"true\" }\n",
             moves: [.watch(to: 2.5)],
             ticks: [.init(1, .paused), .init(2, .paused)],
             runs: []),
        Case(name: "a job without a schedule never fires",
             job: "tasks:\n  a: { run: \"true\" }\n",
             moves: [.watch(to: 5)],
             ticks: [],
             runs: []),
    ]

    @Test(arguments: cases)
    func firing(_ c: Case) async throws {
        let d = try ClockedDaemon()
        try d.write(job: "j", c.job)
        try await d.start()
        for move in c.moves {
            switch move {
            case .watch(let to): try await d.advance(to: ClockedDaemon.at(to))
            case .jump(let to): try await d.jump(to: ClockedDaemon.at(to))
            }
        }
        // Every decision up to the clock's time is recorded once the daemon has settled on it, and
        // runs are created in the same turn: nothing more can appear without the clock moving.
        #expect(try d.decisions("j") == c.ticks, "\(d.logs.text)")
        let runs = try d.runs(of: "j")
        #expect(runs.map {
            ExpectedRun(
                $0.summary.scheduledAt.timeIntervalSince(ClockedDaemon.start), $0.summary.trigger,
                late: $0.summary.createdAt.timeIntervalSince($0.summary.scheduledAt))
        } == c.runs)
        #expect(await eventually(within: TestTiming.patience) {
            try d.runs(of: "j").allSatisfy { $0.summary.status == .succeeded }
        }, "\(d.logs.text)")
        try await d.stop()
    }
}
