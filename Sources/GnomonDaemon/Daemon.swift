import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonJobFiles
import GnomonStore
import Logging

/// `gnomon daemon`: watches the jobs folder, fires each schedule once per intended time, runs the
/// jobs through the engine, and survives restarts, crashes and bad files (see Docs/daemon.md).
///
/// All state lives in the `run()` loop's task. The loop sleeps until the earliest due time (a
/// heap, not a timer per job), a message (a run ended, a signal) or the next cheap poll (job files
/// every `reloadInterval`, trigger requests every `triggerPollInterval`), whichever comes first.
/// Runs execute as child tasks of one task group; none outlives `run()`.
///
/// Time and chance come from outside: every time the daemon and its engine read or wait for is
/// its `clock`'s, and every jitter delay and run seed is drawn from its `random` source, so tests
/// drive it with a manual clock and a seeded generator.
public final class Daemon {
    let options: DaemonOptions
    let logger: Logger
    let clock: any EngineClock
    /// Draws jitter delays and the seeds of runs' retry jitter.
    var random: any RandomNumberGenerator
    let inbox = Inbox()
    /// The jobs as last loaded, for readers outside the loop.
    public let board = JobBoard()
    /// The loop's latest settled turn, for tests that drive the clock.
    let pulse = LoopPulse()
    /// This daemon as a runner in the database; the prefix tells recovery that a run's runner was
    /// a daemon (and so is dead once this one holds the lock).
    let instance = Daemon.instancePrefix + UUID().uuidString.lowercased()
    static let instancePrefix = "daemon-"

    var store: GnomonStore!
    var engine: RunEngine!
    /// Reads the event record and delivers alerts, beside the loop.
    var notifier: Notifier!
    /// Removes the history outside the retention policies, beside the loop.
    var pruner: Pruner!
    /// The settings file as last read (at the start and on SIGHUP).
    var settings = GnomonSettings()
    let watcher: JobWatcher
    var jobs: [String: ScheduledJob] = [:]
    /// Jobs whose file has never been valid, with its problems (a trigger for one is refused).
    var invalidOnly: [String: [Diagnostic]] = [:]
    var due = DueQueue()
    var active: [Int64: ActiveRun] = [:]
    /// Runs to hand to the task group at the end of this loop turn.
    var toStart: [(PreparedRun, RunControl)] = []
    var draining = false
    /// The backfills this daemon drives (`Daemon+Backfills.swift`).
    var backfills: [Int64: DrivenBackfill] = [:]
    /// Backfill drivers to hand to the task group at the end of this loop turn, with their work.
    var backfillsToStart: [BackfillStart] = []
    /// Backfill runs recovered at start, continued by their backfill's driver once it is adopted.
    var recoveredBackfillRuns: [Int64: PreparedRun] = [:]
    /// Backfills whose job is not loaded (logged once each).
    var backfillsWaiting: Set<Int64> = []
    /// Runs beside the loop once the daemon holds its home and has recovered its runs (the HTTP
    /// server); cancelled when the loop has drained.
    public var companion: (@Sendable (DaemonHandle) async -> Void)?

    /// - Parameters:
    ///   - clock: the time fire times are compared with and waited for; the engine's too.
    ///   - random: draws each jitter delay and each run's seed.
    public init(
        options: DaemonOptions, logger: Logger, clock: any EngineClock = SystemClock(),
        random: any RandomNumberGenerator = SystemRandomNumberGenerator()
    ) {
        self.options = options
        self.logger = logger
        self.clock = clock
        self.random = random
        self.watcher = JobWatcher(directory: options.jobsDirectory)
    }

    /// A logger writing `time level message key=value...` lines to standard error.
    public static func makeLogger(level: String) -> Logger {
        let parsed = Logger.Level(rawValue: level.lowercased()) ?? .info
        return Logger(label: "gnomon.daemon") { label in DaemonLogHandler(label: label, level: parsed) }
    }

    /// Runs until SIGTERM or SIGINT, then drains and returns.
    public func run() async throws(DaemonError) {
        try await run(handlingSignals: true)
    }

    /// Runs until a shutdown message (SIGTERM or SIGINT when `handlingSignals`), then drains and
    /// returns. Without `handlingSignals` the process's signals are left alone and only messages
    /// posted to `inbox` steer the daemon (tests running daemons inside the test process).
    func run(handlingSignals: Bool) async throws(DaemonError) {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.jobsDirectory, isDirectory: &isFolder), isFolder.boolValue
        else {
            throw DaemonError.notFound(
                "jobs folder \(options.jobsDirectory) does not exist; pass --jobs DIR or set GNOMON_JOBS")
        }
        let lock = try DaemonLock.acquire(home: options.home)
        defer { lock.release() }
        do {
            store = try GnomonStore.open(home: options.home)
        } catch {
            throw DaemonError.environment("\(error)")
        }
        let settings = EngineSettings(home: options.home, killGrace: options.killGrace, runnerInstance: instance)
        engine = RunEngine(
            store: store, executor: ExecutorRouter.standard(environment: settings.baseEnvironment, slurm: slurmConfiguration(settings.baseEnvironment)),
            pool: WorkerPool(width: options.workers), clock: clock, settings: settings)
        let inbox = self.inbox
        let signals = !handlingSignals ? nil : SignalSource(signals: [SIGUSR1, SIGHUP, SIGTERM, SIGINT]) { number in
            switch number {
            case SIGUSR1: inbox.post(.triggers)
            case SIGHUP: inbox.post(.reload)
            default: inbox.post(.shutdown(signal: number))
            }
        }
        defer { signals?.stop() }
        logger.info("daemon started", metadata: [
            "pid": "\(getpid())", "home": "\(options.home)", "jobs": "\(options.jobsDirectory)",
            "workers": "\(options.workers)", "instance": "\(instance)",
        ])

        notifier = Notifier(store: store, clock: clock, logger: logger, holder: instance)
        pruner = Pruner(store: store, logger: logger)
        loadSettings()
        // A recovered run goes on from its own stored definition, so it needs no job file: it
        // is prepared first and started before the jobs folder is read (a 100,000-task file
        // takes seconds to load), which then happens while the run's tasks already run.
        await recover()
        do {
            let released = try store.releaseAbandonedTriggerRequests()
            if released > 0 { logger.notice("trigger requests claimed by a dead daemon put back", metadata: ["count": "\(released)"]) }
        } catch {
            logger.error("could not put back abandoned trigger requests", metadata: ["error": "\(error)"])
        }
        var notifying: Task<Void, Never>?
        var pruning: Task<Void, Never>?
        var companionTask: Task<Void, Never>?
        await loop {
            loadJobsAtStart(now: clock.now())
            shareJobs()
            notifier.prepare()
            notifying = Task { [notifier] in await notifier!.run() }
            pruning = Task { [pruner, clock, options] in await pruner!.run(clock: clock, every: options.pruneInterval) }
            companionTask = companion.map { companion in
                let handle = DaemonHandle(
                    store: store, home: options.home, jobsDirectory: options.jobsDirectory, configPath: options.configPath,
                    startedAt: clock.now(), board: board, inbox: inbox, pulse: pulse, clockNow: { [clock] in clock.now() })
                return Task { await companion(handle) }
            }
        }
        companionTask?.cancel()
        await companionTask?.value
        notifying?.cancel()
        pruning?.cancel()
        await notifying?.value
        await pruning?.value
        logger.info("daemon stopped")
    }

    /// The daemon's loop: fires, claims triggers, reloads and starts runs until it has drained.
    ///
    /// - Parameter starting: called once, after the runs recovered at start have been handed to
    ///   the task group and before the first turn (loads the jobs, starts the helpers).
    private func loop(starting: () -> Void) async {
        let engine = self.engine!
        let inbox = self.inbox, clock = self.clock
        await withDiscardingTaskGroup { group in
            for (prepared, control) in toStart {
                let observer = DaemonObserver(logger: logger, job: prepared.job.name, run: prepared.id)
                group.addTask {
                    _ = await engine.execute(prepared, observer: observer, control: control)
                    inbox.post(.runEnded(job: prepared.job.name, run: prepared.id))
                }
            }
            toStart = []
            starting()
            adoptBackfills()
            startUnadoptedBackfillRuns()
            var nextReload = clock.now().addingTimeInterval(options.reloadInterval.secondsDouble)
            var nextTriggerPoll = clock.now()
            var triggersNudged = true
            var reloadAll = false
            while true {
                let now = clock.now()
                if !draining {
                    fireDue(now: now)
                    if triggersNudged || now >= nextTriggerPoll {
                        claimTriggers(nudged: triggersNudged, now: now)
                        adoptBackfills()
                        nextTriggerPoll = now.addingTimeInterval(options.triggerPollInterval.secondsDouble)
                        triggersNudged = false
                    }
                    if reloadAll || now >= nextReload {
                        if reloadAll { loadSettings() }
                        reload(everything: reloadAll, now: now)
                        shareJobs()
                        nextReload = clock.now().addingTimeInterval(options.reloadInterval.secondsDouble)
                        reloadAll = false
                    }
                }
                for (prepared, control) in toStart {
                    let observer = DaemonObserver(logger: logger, job: prepared.job.name, run: prepared.id)
                    group.addTask {
                        _ = await engine.execute(prepared, observer: observer, control: control)
                        inbox.post(.runEnded(job: prepared.job.name, run: prepared.id))
                    }
                }
                toStart = []
                for backfill in backfillsToStart {
                    group.addTask {
                        await backfill.run()
                        inbox.post(.backfillEnded(backfill.driver.backfill.id))
                    }
                }
                backfillsToStart = []
                if draining && active.isEmpty && backfills.isEmpty { break }

                var wake = min(nextReload, nextTriggerPoll)
                if !draining, let first = due.first { wake = min(wake, first.at) }
                if draining { wake = now.addingTimeInterval(3600) }
                if wake > now { pulse.beat(at: now, wake: wake, active: Set(active.keys)) }
                for message in await inbox.wait(until: wake, on: clock) {
                    switch message {
                    case let .runEnded(job, run):
                        runEnded(job: job, run: run)
                    case .backfillEnded(let id):
                        backfillEnded(id)
                    case .triggers:
                        logger.debug("SIGUSR1: looking for trigger requests")
                        triggersNudged = true
                    case .reload:
                        logger.info("SIGHUP: reloading every job file")
                        reloadAll = true
                    case .shutdown(let signal):
                        beginShutdown(signal: signal)
                    }
                }
            }
        }
    }

    /// Stops firing and drains every run: running tasks get the grace, then are killed and
    /// recorded interrupted; the runs stay unfinished and the next start continues them.
    private func beginShutdown(signal: Int32) {
        let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
        if draining {
            logger.warning("\(name) again: killing running tasks now")
            for run in active.values { run.control.drain(grace: .zero) }
            for backfill in backfills.values { backfill.driver.drain(grace: .zero) }
            return
        }
        draining = true
        logger.info("\(name): shutting down", metadata: [
            "runs": "\(active.count)", "backfills": "\(backfills.count)", "grace": "\(DurationText.format(options.shutdownGrace))",
        ])
        for run in active.values { run.control.drain(grace: options.shutdownGrace) }
        for backfill in backfills.values { backfill.driver.drain(grace: options.shutdownGrace) }
    }

    /// A run ended (or was suspended by the shutdown): the job's next pending run may start.
    private func runEnded(job name: String, run: Int64) {
        active[run] = nil
        guard let job = jobs[name] else { return }
        job.running.removeAll { $0 == run }
        noteRun(job, ended: run)
        if !draining { startPending(job) }
    }

    /// Hands a run to the task group at the end of this loop turn.
    func start(_ prepared: PreparedRun, job name: String) {
        let control = RunControl()
        active[prepared.id] = ActiveRun(job: name, control: control)
        jobs[name]?.running.append(prepared.id)
        toStart.append((prepared, control))
        if let job = jobs[name] { noteRun(job, started: prepared.id) }
    }

    /// Records one decision about one fire time; a failure is logged, never fatal.
    func tick(_ job: String, _ fireTime: Date, _ decision: TickDecision, run: Int64? = nil, detail: String? = nil) {
        var metadata: Logger.Metadata = [
            "job": "\(job)", "fire_time": "\(ISOTime.utc(fireTime))", "decision": "\(decision.rawValue)",
        ]
        if let run { metadata["run"] = "\(run)" }
        if let detail { metadata["detail"] = "\(detail)" }
        switch decision {
        case .started, .caughtUp, .queued, .replaced, .paused: logger.info("fire time", metadata: metadata)
        case .skippedOverlap, .missed, .duplicate: logger.notice("fire time", metadata: metadata)
        case .dropped, .error: logger.warning("fire time", metadata: metadata)
        }
        do {
            try store.recordTick(Tick(
                job: job, fireTime: fireTime, decidedAt: clock.now(), decision: decision, runID: run, detail: detail))
        } catch {
            logger.error("could not record a fire time", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }
}

extension Daemon {
    /// Reads the settings file (at start and on SIGHUP) and hands its channels and rules to the
    /// notifier; every problem is logged with file:line:column, and what is valid is used.
    func loadSettings() {
        guard let path = options.configPath, let result = SettingsFileLoader.loadIfPresent(path: path) else {
            settings = GnomonSettings()
            notifier.configure(settings: settings, environment: ProcessInfo.processInfo.environment)
            engine.disk.rule = .standard
            return
        }
        engine.disk.rule = result.settings.minFreeSpace
        for problem in result.diagnostics { logger.error("invalid settings file: \(problem)") }
        settings = result.settings
        notifier.configure(settings: result.settings, environment: ProcessInfo.processInfo.environment)
        logger.info("settings loaded", metadata: [
            "path": "\(path)", "channels": "\(result.settings.channels.count)", "problems": "\(result.diagnostics.count)",
        ])
    }

    /// Hands the jobs' current definitions to the notifier and their retention policies (over
    /// the settings file's `keep:`) to the pruner.
    func shareJobs() {
        publishJobs()
        notifier.update(jobs: jobs.mapValues(\.definition))
        pruner.configure(settings: settings, jobs: jobs.values.map(\.definition.spec))
    }
}

extension Daemon {
    /// How `slurm:` tasks reach their cluster: the settings file's `slurm:` (read once, at start;
    /// a change needs a restart), over the daemon's own `SLURM_CONF` and `PATH`.
    func slurmConfiguration(_ environment: [String: String]) -> SlurmConfiguration {
        let slurm = options.configPath.flatMap { SettingsFileLoader.loadIfPresent(path: $0)?.settings.slurm } ?? SlurmSettings()
        return SlurmConfiguration(
            environment: environment, slurmConf: slurm.conf, commandFolder: slurm.bin,
            pollInterval: slurm.pollInterval, maximumPollInterval: slurm.maxPollInterval)
    }
}
