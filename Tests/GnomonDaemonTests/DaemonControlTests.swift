import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing
@testable import GnomonDaemon

/// Jitter, trigger requests and pause/resume on a manual clock, the requests and the pause state
/// written to the store as `gnomon trigger`, `pause` and `resume` write them.
@Suite(.timeLimit(.minutes(2)))
struct DaemonControlTests {
    // MARK: - Jitter

    /// The delays (run created minus fire time) of an `@every 2s` job with `jitter: 1500ms` over
    /// four fire times, for one seed of the daemon's random source.
    static func jitterDelays(seed: UInt64) async throws -> [Double] {
        let d = try ClockedDaemon(seed: seed)
        try d.write(job: "jit", "schedule: { cron: \"@every 2s\", jitter: 1500ms }\ntasks:\n  a: { run: \"true\" }\n")
        try await d.start()
        try await d.advance(to: ClockedDaemon.at(2))
        // The first delay was drawn above zero (below), so at its fire time the run is not there.
        #expect(try d.runs(of: "jit").isEmpty, "created before its jitter delay passed")
        try await d.advance(to: ClockedDaemon.at(9.5))
        try await d.stop()
        let runs = try d.runs(of: "jit")
        #expect(runs.map { $0.summary.scheduledAt.timeIntervalSince(ClockedDaemon.start) } == [2, 4, 6, 8],
                "the scheduled time stays the intended one")
        #expect(try d.decisions("jit") == [.init(2, .started), .init(4, .started), .init(6, .started), .init(8, .started)])
        return runs.map { $0.summary.createdAt.timeIntervalSince($0.summary.scheduledAt) }
    }

    struct JitterCase: Sendable, CustomTestStringConvertible {
        let name: String
        let seed: UInt64
        var testDescription: String { name }
    }

    static let jitterCases = [
        JitterCase(name: "seed 7", seed: 7),
        JitterCase(name: "seed 8", seed: 8),
    ]

    @Test(arguments: jitterCases)
    func jitterDelaysTheStartBelowItsBoundAndKeepsTheScheduledTime(_ c: JitterCase) async throws {
        let delays = try await Self.jitterDelays(seed: c.seed)
        #expect(delays.allSatisfy { $0 > 0 && $0 < 1.5 }, "delays \(delays)")
        // Four draws all under 50 ms would mean no jitter at all.
        #expect(delays.contains { $0 > 0.05 }, "delays \(delays)")
        // The draws come from the daemon's random source only: the same seed draws them again.
        #expect(try await Self.jitterDelays(seed: c.seed) == delays)
        #expect(try await Self.jitterDelays(seed: c.seed + 100) != delays)
    }

    // MARK: - Trigger requests

    enum Nudge: Sendable {
        /// SIGUSR1, as `gnomon trigger` sends.
        case signal
        /// No signal: the daemon's one-second poll finds the request.
        case poll
    }

    struct TriggerCase: Sendable, CustomTestStringConvertible {
        let name: String
        let job: String
        var params: [String: String] = [:]
        var nudge: Nudge = .signal
        /// The run's status, or nil when the request is refused.
        let status: RunStatus?
        /// Text in the run's output, or in the refusal's reason.
        let says: String
        var testDescription: String { name }
    }

    static let triggerCases: [TriggerCase] = [
        TriggerCase(name: "SIGUSR1: a manual run starts with the request's parameters",
                    job: "manual", params: ["X": "5"], status: .succeeded, says: "x=5"),
        TriggerCase(name: "no signal: the one-second poll finds the request",
                    job: "manual", params: ["X": "6"], nudge: .poll, status: .succeeded, says: "x=6"),
        TriggerCase(name: "a paused job still runs when triggered",
                    job: "sleepy", status: .succeeded, says: "awake"),
        TriggerCase(name: "a failing job's triggered run ends failed",
                    job: "fails", status: .failed, says: "failing"),
        TriggerCase(name: "a request for an unknown job is refused",
                    job: "manul", status: nil, says: "no job \"manul\" in "),
        TriggerCase(name: "a request for a job whose file was never valid is refused with its problem",
                    job: "broken", status: nil, says: "job broken is invalid: "),
    ]

    @Test(arguments: triggerCases)
    func trigger(_ c: TriggerCase) async throws {
        let d = try ClockedDaemon()
        try d.write(job: "manual", "tasks:\n  m: { run: \"echo x=$GNOMON_PARAM_X\" }\n")
        try d.write(job: "sleepy", "schedule: \"@every 1h\"\npaused: true\ntasks:\n  a: { run: \"echo awake\" }\n")
        try d.write(job: "fails", "tasks:\n  f: { run: \"echo failing; exit 3\" }\n")
        try d.write(job: "broken", "tasks:\n  b: { run: \"true\", retry: lots }\n")
        try await d.start()
        let store = try d.store()
        let request = try store.addTriggerRequest(job: c.job, params: c.params, at: d.clock.now())
        switch c.nudge {
        case .signal: d.post(.triggers)
        case .poll: try await d.advance(by: 1)
        }
        #expect(await eventually(within: TestTiming.patience) {
            let found = try store.triggerRequest(request)
            return found?.runID != nil || found?.reason != nil
        }, "\(d.logs.text)")
        let answered = try #require(try store.triggerRequest(request))
        if let status = c.status {
            let id = try #require(answered.runID)
            try await d.waitUntilEnded(id)
            let run = try #require(try store.run(id))
            #expect(run.summary.trigger == .manual && run.summary.job == c.job)
            #expect(run.summary.status == status)
            #expect(run.attempts.contains { d.output($0).contains(c.says) })
        } else {
            #expect(answered.runID == nil)
            #expect(answered.reason?.contains(c.says) == true, "\(answered)")
            #expect(try d.runs().isEmpty)
        }
        try await d.stop()
    }

    // MARK: - Pause and resume

    enum PauseStep: Sendable {
        case pause, resume
        /// The daemon stops and starts again this many seconds later.
        case down(Double)
    }

    struct PauseCase: Sendable, CustomTestStringConvertible {
        let name: String
        let pausedInFile: Bool
        /// At whole seconds plus a half, what happens.
        let steps: [(Double, PauseStep)]
        let until: Double
        let ticks: [Decision]
        var testDescription: String { name }
    }

    static let pauseCases: [PauseCase] = [
        PauseCase(name: "pause records each time paused with no run, resume fires the next time",
                  pausedInFile: false, steps: [(1.5, .pause), (3.5, .resume)], until: 4.5,
                  ticks: [.init(1, .started), .init(2, .paused), .init(3, .paused), .init(4, .started)]),
        PauseCase(name: "paused in the file: every time is paused until resume",
                  pausedInFile: true, steps: [(2.5, .resume)], until: 3.5,
                  ticks: [.init(1, .paused), .init(2, .paused), .init(3, .started)]),
        PauseCase(name: "pause overrides the file's paused: false across a restart, and its missed times are paused",
                  pausedInFile: false, steps: [(1.5, .pause), (1.5, .down(2))], until: 4.5,
                  ticks: [.init(1, .started), .init(2, .paused), .init(3, .paused), .init(4, .paused)]),
    ]

    @Test(arguments: pauseCases)
    func pauseAndResume(_ c: PauseCase) async throws {
        let d = try ClockedDaemon()
        try d.write(job: "tick", "schedule: \"@every 1s\"\npaused: \(c.pausedInFile)\ntasks:\n  a: { run: \"true\" }\n")
        try await d.start()
        for (second, step) in c.steps {
            try await d.advance(to: ClockedDaemon.at(second))
            switch step {
            case .pause: try d.store().setPaused(job: "tick", paused: true, at: d.clock.now())
            case .resume: try d.store().setPaused(job: "tick", paused: false, at: d.clock.now())
            case .down(let seconds):
                try await d.stop()
                try await d.advance(by: seconds)
                try await d.start()
            }
        }
        try await d.advance(to: ClockedDaemon.at(c.until))
        try await d.stop()
        #expect(try d.decisions("tick") == c.ticks, "\(d.logs.text)")
        let started = Set(c.ticks.filter { $0.decision == .started }.map(\.second))
        #expect(Set(try d.runs(of: "tick").map { $0.summary.scheduledAt.timeIntervalSince(ClockedDaemon.start) }) == started,
                "a paused time got a run")
    }
}
