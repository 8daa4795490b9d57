import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore
import GnomonTesting
import Logging
import Synchronization
import Testing
@testable import GnomonDaemon

/// A daemon inside the test process, on a manual clock and a seeded random source: a real home
/// (a temporary SQLite file), real job files and real processes, and no real waiting for fire
/// times. Restarting it keeps the home and the clock, as a daemon stopped and started again would.
///
/// Moving the clock drives the daemon: `advance(to:)` moves it from one of the daemon's wake times
/// to the next and waits, after each, until the loop has handled that time (its ``LoopPulse``
/// names a wake time still ahead), so every fire time up to the target has been decided and
/// recorded when it returns. By default it also lets the runs started on the way end before the
/// clock moves on, as quick tasks do on a real clock; a test of overlapping runs says otherwise.
final class ClockedDaemon: DaemonHistory, @unchecked Sendable {
    let folders: TemporaryHome
    let clock: ManualClock
    let logs = LogLines()
    var options: DaemonOptions
    /// The seed of the next start's random source.
    var seed: UInt64

    /// The daemon running now.
    private final class Running: Sendable {
        let task: Task<Void, any Error>
        let inbox: Inbox
        let pulse: LoopPulse
        let ended: Flag

        init(task: Task<Void, any Error>, inbox: Inbox, pulse: LoopPulse, ended: Flag) {
            self.task = task
            self.inbox = inbox
            self.pulse = pulse
            self.ended = ended
        }
    }

    private var current: Running?
    private var openedStore: GnomonStore?

    var root: String { folders.root }
    var jobs: String { folders.jobs }
    var home: String { folders.home }

    /// - Parameters:
    ///   - start: where the clock stands.
    ///   - polls: how often the daemon looks at the jobs folder and for trigger requests (its
    ///     defaults are 2 s and 1 s; a test that moves the clock over hours takes longer ones so
    ///     that it steps through few wake times).
    init(start: Date = ClockedDaemon.start, seed: UInt64 = 1, polls: (reload: Duration, triggers: Duration)? = nil) throws {
        folders = try TemporaryHome()
        clock = ManualClock(start: start)
        self.seed = seed
        options = DaemonOptions(jobsDirectory: folders.jobs, home: folders.home, workers: 8, killGrace: .seconds(1))
        if let polls {
            options.reloadInterval = polls.reload
            options.triggerPollInterval = polls.triggers
        }
    }

    deinit {
        current?.inbox.post(.shutdown(signal: SIGINT))
        current?.inbox.post(.shutdown(signal: SIGINT))
    }

    /// 2027-01-15T08:00:00Z, a whole second.
    static let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// `start` plus `seconds`.
    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    /// Writes `jobs/NAME.yaml` atomically (a poll never sees half a file).
    func write(job name: String, _ text: String) throws {
        let path = "\(jobs)/\(name).yaml"
        let temporary = "\(jobs)/.\(name).yaml.tmp"
        try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, path) == 0 else { throw POSIXError(.EIO) }
    }

    func remove(job name: String) throws {
        try FileManager.default.removeItem(atPath: "\(jobs)/\(name).yaml")
    }

    // MARK: - Starting, stopping, steering

    /// Starts a daemon and waits until its first turn has ended (jobs loaded, recovery done).
    func start() async throws {
        precondition(current == nil, "a daemon of this test runs already")
        let daemon = Daemon(
            options: options, logger: Logger(label: "gnomon.daemon") { [logs] _ in LogLines.Handler(lines: logs) },
            clock: clock, random: SplitMix64(seed: seed))
        seed &+= 1
        let inbox = daemon.inbox, pulse = daemon.pulse
        let ended = Flag()
        let task = Task {
            defer { ended.set() }
            try await daemon.run(handlingSignals: false)
        }
        current = Running(task: task, inbox: inbox, pulse: pulse, ended: ended)
        let started = await eventually(within: TestTiming.patience) { pulse.last != nil || ended.isSet }
        try #require(started && pulse.last != nil, "the daemon did not start:\n\(logs.text)")
    }

    /// Posts what a signal would (SIGUSR1 `.triggers`, SIGHUP `.reload`).
    func post(_ message: DaemonMessage) {
        current?.inbox.post(message)
    }

    /// Shuts the daemon down as SIGTERM does and waits for `run()` to return, moving the clock on
    /// a second at a time meanwhile so that a drain's grace (a timer on this clock) can pass.
    func stop() async throws {
        guard let current else { return }
        current.inbox.post(.shutdown(signal: SIGTERM))
        let clock = self.clock
        let done = await eventually(within: TestTiming.patience, every: .milliseconds(10)) {
            if current.ended.isSet { return true }
            clock.advance(by: .seconds(1))
            return false
        }
        try #require(done, "the daemon did not stop:\n\(logs.text)")
        self.current = nil
        try await current.task.value
    }

    /// The latest turn's pulse, once the loop has handled the clock's current time: it waits for a
    /// wake time still ahead (and, with `quiet`, has no run executing).
    @discardableResult
    func settle(quiet: Bool = false) async throws -> LoopPulse.Beat {
        let pulse = try #require(current?.pulse, "no daemon runs")
        let clock = self.clock
        let settled = await eventually(within: TestTiming.patience, every: .milliseconds(1)) {
            guard let beat = pulse.last else { return false }
            return beat.wake > clock.now() && (!quiet || beat.active.isEmpty)
        }
        try #require(settled, "the daemon did not settle at \(ISOTime.utc(clock.now())):\n\(logs.text)")
        return try #require(pulse.last)
    }

    /// Moves the clock to `target` through every time the daemon wakes at on the way, letting it
    /// handle each; with no daemon running, jumps there (the daemon is down meanwhile).
    ///
    /// - Parameter runsEnd: let the runs started at each time end before the clock moves on.
    func advance(to target: Date, runsEnd: Bool = true) async throws {
        guard current != nil else {
            clock.advance(to: target)
            return
        }
        while true {
            let beat = try await settle(quiet: runsEnd)
            guard beat.wake <= target else { break }
            clock.advance(to: beat.wake)
        }
        clock.advance(to: target)
        try await settle(quiet: runsEnd)
    }

    func advance(by seconds: Double, runsEnd: Bool = true) async throws {
        try await advance(to: clock.now().addingTimeInterval(seconds), runsEnd: runsEnd)
    }

    /// Jumps the clock to `target` in one step, as a suspended machine wakes: the daemon sees only
    /// the new time.
    func jump(to target: Date) async throws {
        clock.advance(to: target)
        if current != nil { try await settle() }
    }

    /// Waits until the daemon has handled the end of run `id` (its turn no longer counts it active).
    func waitUntilEnded(_ id: Int64) async throws {
        let pulse = try #require(current?.pulse)
        let ended = await eventually(within: TestTiming.patience) {
            try self.store().run(id)?.summary.status.isFinished == true && pulse.last?.active.contains(id) == false
        }
        try #require(ended, "run \(id) did not end:\n\(logs.text)")
    }

    // MARK: - Reading what it did

    /// The daemon's database, opened by this test (WAL: reads never block the daemon).
    func store() throws -> GnomonStore {
        if let openedStore { return openedStore }
        let store = try GnomonStore.open(home: home)
        openedStore = store
        return store
    }

    /// Every tick of a job, in the order they were recorded.
    func ticks(_ job: String) throws -> [Tick] {
        try store().ticks(job: job, limit: 100_000).sorted { ($0.id ?? 0) < ($1.id ?? 0) }
    }

    /// A job's ticks as `(seconds after start, decision)`, in the order recorded.
    func decisions(_ job: String, from origin: Date = ClockedDaemon.start) throws -> [Decision] {
        try ticks(job).map { Decision($0.fireTime.timeIntervalSince(origin), $0.decision) }
    }

    /// The text of an attempt's log.
    func output(_ attempt: AttemptRecord) -> String {
        (try? String(contentsOfFile: attempt.logPath, encoding: .utf8)) ?? ""
    }
}

/// A flag set once.
final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

/// One tick as a test states it: the fire time in seconds after a fixed origin, and the decision.
struct Decision: Hashable, CustomStringConvertible {
    let second: Double
    let decision: TickDecision
    init(_ second: Double, _ decision: TickDecision) {
        self.second = second
        self.decision = decision
    }

    var description: String { "\(second) \(decision.rawValue)" }
}

/// The daemon's log lines, kept in memory, in the daemon's own format.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    func contains(_ text: String) -> Bool { lines.withLock { $0.contains { $0.contains(text) } } }

    struct Handler: LogHandler {
        let lines: LogLines
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            var merged = metadata
            if let extra = event.metadata { merged.merge(extra) { _, new in new } }
            let line = DaemonLogHandler.format(time: Date(), level: event.level, message: "\(event.message)", metadata: merged)
            lines.lines.withLock { $0.append(line) }
        }
    }
}
