import Foundation
import GnomonCore
import GnomonExecution
import GnomonStore

/// Settings shared by every run an engine executes.
public struct EngineSettings: Sendable {
    /// `$GNOMON_HOME`; attempt logs go under `logs/` inside it.
    public var home: String
    /// SIGTERM-to-SIGKILL grace when a task is stopped.
    public var killGrace: Duration
    /// The environment tasks start from (the runner's own).
    public var baseEnvironment: [String: String]
    public var runnerPID: Int32
    /// Identifies this runner process in the database (a UUID per process).
    public var runnerInstance: String
    /// How often a running run checks for `gnomon kill` requests from other processes.
    public var cancelPollInterval: Duration

    public init(
        home: String,
        killGrace: Duration = .seconds(10),
        baseEnvironment: [String: String] = ProcessInfo.processInfo.environment,
        runnerPID: Int32 = ProcessInfo.processInfo.processIdentifier,
        runnerInstance: String = UUID().uuidString.lowercased(),
        cancelPollInterval: Duration = .milliseconds(250)
    ) {
        self.home = home
        self.killGrace = killGrace
        self.baseEnvironment = baseEnvironment
        self.runnerPID = runnerPID
        self.runnerInstance = runnerInstance
        self.cancelPollInterval = cancelPollInterval
    }

    /// Where one attempt's output is written.
    public func logPath(job: String, run: Int64, task: String, attempt: Int) -> String {
        "\(home)/logs/\(job)/\(run)/\(task).\(attempt).log"
    }
}

/// A run ready to execute: its id, the definition it runs and its machine.
public struct PreparedRun: Sendable {
    public let id: Int64
    public let job: JobSpec
    public let scheduledAt: Date
    public let params: [String: String]
    public var machine: RunMachine
    /// Attempts still running from a runner that died (containers), to re-attach to by reference.
    public var adoptions: [Adoption] = []
    /// The decisions of `machine`'s start when it was started as the run was created (their state
    /// changes are recorded already, their launches not performed yet); `nil` when the run starts
    /// once it is executed.
    public var startActions: [RunAction]?

    public init(
        id: Int64, job: JobSpec, scheduledAt: Date, params: [String: String], machine: RunMachine,
        adoptions: [Adoption] = [], startActions: [RunAction]? = nil
    ) {
        self.id = id
        self.job = job
        self.scheduledAt = scheduledAt
        self.params = params
        self.machine = machine
        self.adoptions = adoptions
        self.startActions = startActions
    }
}

/// An attempt to re-attach to after a crash, through the executor its reference names.
public struct Adoption: Sendable, Hashable {
    public let task: String
    public let attempt: Int
    /// What the dead runner recorded to find the attempt again (a container's name).
    public let reference: AttemptReference
    public let logPath: String
}

/// Why a run could not be prepared.
public enum EngineError: Error, CustomStringConvertible, Sendable {
    /// The job definition a run stored when it was created no longer makes a valid graph (the
    /// database was changed by something other than gnomon).
    case invalidSnapshot(run: Int64, job: String, problems: [String])
    case unknownTasks(job: String, names: [String], known: [String])
    case runNotFound(Int64)
    case runNotRetryable(Int64, RunStatus)
    /// A file the engine needs under the home (a backfill's lease) cannot be made or locked.
    case environment(String)

    public var description: String {
        switch self {
        case let .invalidSnapshot(run, job, problems):
            return "run \(run) cannot be continued: the copy of job \(job) stored with it has an invalid task graph "
                + "(\(problems.joined(separator: "; "))), so the database was changed by something other than gnomon; "
                + "start a new run with `gnomon run \(job)`"
        case let .unknownTasks(job, names, known):
            return "job \(job) has no task \(names.map { "\"\($0)\"" }.joined(separator: ", ")); its tasks are \(Suggest.list(known))"
        case let .runNotFound(id):
            return "run \(id) not found; `gnomon runs` lists the recorded runs"
        case let .runNotRetryable(id, status):
            return "run \(id) is \(status.rawValue); only failed or cancelled runs can be retried"
        case let .environment(message):
            return message
        }
    }
}

/// Creates runs in the store and executes them: the DAG engine.
public final class RunEngine: Sendable {
    public let store: GnomonStore
    /// Runs every attempt, and re-attaches to the ones a dead runner left: an ``ExecutorRouter``
    /// (local processes, containers) in Gnomon, a double in tests. The engine never asks which
    /// executor runs a task.
    public let executor: any TaskExecutor
    public let pool: WorkerPool
    /// Attempts that may prepare their launch (log file, environment, command lookup) while they
    /// wait for a worker slot: as many as the pool is wide, so a freed slot goes to an attempt
    /// that is ready to spawn at once.
    let staging: WorkerPool
    public let clock: any EngineClock
    public let settings: EngineSettings
    /// Holds attempts back while the home is short of free space (`min_free_space`).
    public let disk: DiskSpaceGuard

    public init(
        store: GnomonStore, executor: any TaskExecutor, pool: WorkerPool,
        clock: any EngineClock = SystemClock(), settings: EngineSettings
    ) {
        self.store = store
        self.executor = executor
        self.pool = pool
        self.staging = WorkerPool(width: pool.width)
        self.clock = clock
        self.settings = settings
        self.disk = DiskSpaceGuard(folder: settings.home)
    }

    /// Records a new run of `job`, started (running, its first tasks ready), and returns it ready
    /// to execute at once. The run follows the graph the job carries.
    ///
    /// - Parameter only: with `--task`, the tasks to run, their dependencies ignored.
    public func prepareNewRun(
        job: ValidJob, trigger: RunTrigger, scheduledAt: Date, params: [String: String] = [:],
        only: Set<String>? = nil
    ) throws -> PreparedRun {
        let plan = try planNewRun(job: job, only: only)
        return try recordNewRun(plan, trigger: trigger, scheduledAt: scheduledAt, params: params, snapshot: nil)
    }

    /// ``prepareNewRun(job:trigger:scheduledAt:params:only:)``, with the job's snapshot encoded
    /// on another thread while the run's graph and first decisions are worked out (each a few
    /// milliseconds for a job of a thousand tasks, on the way to its first task).
    ///
    /// - Parameter encoding: the job's snapshot, when the caller started encoding it earlier
    ///   (``encodeSnapshot(of:)``, as soon as the job file was read); else it is encoded here.
    public func startNewRun(
        job: ValidJob, trigger: RunTrigger, scheduledAt: Date, params: [String: String] = [:],
        only: Set<String>? = nil, backfill: Int64? = nil, encoding: Task<JobSnapshot?, Never>? = nil
    ) async throws -> PreparedRun {
        let snapshot = encoding ?? Self.encodeSnapshot(of: job)
        let plan = try planNewRun(job: job, only: only)
        return try recordNewRun(plan, trigger: trigger, scheduledAt: scheduledAt, params: params, snapshot: await snapshot.value,
                                backfill: backfill)
    }

    /// Starts encoding `job`'s snapshot on another thread, for ``startNewRun(job:trigger:scheduledAt:params:only:backfill:encoding:)``.
    public static func encodeSnapshot(of job: ValidJob) -> Task<JobSnapshot?, Never> {
        Task.detached { JobSnapshot(encoding: job.spec) }
    }

    /// A new run's machine and first decisions, before anything is recorded.
    private struct NewRunPlan {
        let job: ValidJob
        let machine: RunMachine
        let now: Date
        let start: RunStart?
    }

    private func planNewRun(job: ValidJob, only: Set<String>?) throws -> NewRunPlan {
        let graph = job.graph
        if let only {
            let unknown = only.subtracting(graph.names).sorted()
            if !unknown.isEmpty { throw EngineError.unknownTasks(job: job.name, names: unknown, known: graph.names) }
        }
        let machine = RunMachine(job: job.spec, graph: graph, only: only, seed: UInt64.random(in: 0...UInt64.max))
        let now = clock.now()
        return NewRunPlan(job: job, machine: machine, now: now, start: RunStart.fold(machine, names: graph.names, now: now))
    }

    private func recordNewRun(
        _ plan: NewRunPlan, trigger: RunTrigger, scheduledAt: Date, params: [String: String], snapshot: JobSnapshot?,
        backfill: Int64? = nil
    ) throws -> PreparedRun {
        let job = plan.job.spec, start = plan.start
        let id = try store.createRun(NewRun(
            job: job.name, trigger: trigger, scheduledAt: scheduledAt, createdAt: plan.now,
            status: start == nil ? .queued : .running, params: params, snapshot: job,
            runnerPID: settings.runnerPID, runnerInstance: settings.runnerInstance,
            tasks: start?.tasks ?? plan.job.graph.names.map { NewTask(name: $0, status: .waiting, reason: nil) },
            encodedSnapshot: snapshot, backfillID: backfill))
        return PreparedRun(
            id: id, job: job, scheduledAt: scheduledAt, params: params, machine: start?.machine ?? plan.machine,
            startActions: start?.actions)
    }

    /// Reopens a failed or cancelled run: its failed, cancelled and skipped tasks get new
    /// attempts (numbered after the earlier ones, with a fresh retry budget); succeeded tasks stay.
    ///
    /// The reopened run is recorded `queued` with this engine as its runner, in one transaction
    /// (with `request`, the daemon's claimed retry request is answered in it too): if the runner
    /// dies before executing it, the daemon's recovery continues it like any unfinished run.
    ///
    /// - Parameters:
    ///   - request: the claimed retry request this answers (the daemon's); nil for `gnomon retry`.
    ///   - seed: seeds the run's retry jitter; the daemon draws it from its random source.
    public func prepareRetry(
        of runID: Int64, request: Int64? = nil, seed: UInt64 = UInt64.random(in: 0...UInt64.max)
    ) throws -> PreparedRun {
        guard let detail = try store.run(runID) else { throw EngineError.runNotFound(runID) }
        guard detail.summary.status == .failed || detail.summary.status == .cancelled else {
            throw EngineError.runNotRetryable(runID, detail.summary.status)
        }
        let job = detail.snapshot
        let graph = try Self.graph(ofSnapshot: job, run: runID)
        var attempts: [String: Int] = [:]
        for attempt in detail.attempts { attempts[attempt.task] = max(attempts[attempt.task] ?? 0, attempt.number) }
        let previous = Dictionary(uniqueKeysWithValues: detail.tasks.map { ($0.name, $0.status) })
        let machine = RunMachine(
            job: job, graph: graph, previous: previous, attempts: attempts,
            reopen: [.failed, .cancelled, .skipped], freshBudget: true, instances: Self.instances(of: detail), seed: seed)
        let now = clock.now()
        // The instances of a reopened foreach task that did not succeed are reopened with it.
        let reopened = graph.names.filter { [.failed, .cancelled, .skipped].contains(previous[$0]) }
        let reopenedSet = Set(reopened)
        let instances = detail.tasks.filter {
            $0.instanceOf.map(reopenedSet.contains) == true && [.failed, .cancelled, .skipped].contains($0.status)
        }.map(\.name)
        try store.record((reopened + instances).map {
            .taskStatus(run: runID, task: $0, status: .waiting, reason: "reopened by retry", retryAt: nil, at: now)
        } + [
            .runRunner(run: runID, pid: settings.runnerPID, instance: settings.runnerInstance),
            .runStatus(run: runID, status: .queued, reason: nil, at: now),
        ], answering: request)
        return PreparedRun(
            id: runID, job: job, scheduledAt: detail.summary.scheduledAt, params: detail.params, machine: machine)
    }

    /// Executes a prepared run to its end and returns its final status.
    public func execute(_ run: PreparedRun, observer: any RunObserver = SilentObserver(), control: RunControl = RunControl()) async -> RunStatus {
        let execution = RunExecution(engine: self, run: run, observer: observer, control: control)
        return await withTaskExecutorPreference(ProcessLoop.shared) { await execution.run() }
    }

    /// The graph of a run's recorded snapshot (a retry or a recovery continues the definition
    /// the run started with, which was valid then; a new run uses the graph its `ValidJob` carries).
    static func graph(ofSnapshot job: JobSpec, run: Int64) throws -> TaskGraph {
        switch TaskGraph.build(job.tasks) {
        case .success(let graph): return graph
        case .failure(let problems):
            throw EngineError.invalidSnapshot(run: run, job: job.name, problems: problems.all.map(\.description))
        }
    }
}
