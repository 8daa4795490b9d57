import Dispatch
import Foundation
import GnomonCore
import GnomonDaemon
import GnomonEngine
import GnomonStore

/// `gnomon run` and `gnomon retry`: one run executed in this process, Ctrl-C cancelling it.
public enum ForegroundRun {
    /// Options of `gnomon run`.
    public struct Options: Sendable {
        public var job: String
        public var tasks: [String]
        public var params: [String: String]
        public var workers: Int?
        public var killGrace: Duration
        /// Where the progress lines go (a live status line only on a terminal).
        public var output: Int32

        public init(
            job: String, tasks: [String], params: [String: String], workers: Int?, killGrace: Duration,
            output: Int32 = STDOUT_FILENO
        ) {
            self.job = job
            self.tasks = tasks
            self.params = params
            self.workers = workers
            self.killGrace = killGrace
            self.output = output
        }
    }

    /// Runs a new run of a job to its end; returns the exit status for the run's outcome.
    public static func run(_ options: Options, settings: GlobalSettings) async throws(AppError) -> CommandExit {
        // Once the job file is known to exist, the store is opened (or created) on another thread
        // while the file is parsed: both take a few tens of milliseconds for a large job.
        try JobCatalog.requireFile(for: options.job, in: settings.jobsDirectory)
        let opening = Task.detached { () -> Result<Workspace, AppError> in
            do throws(AppError) { return .success(try Workspace.open(settings)) } catch { return .failure(error) }
        }
        let job: ValidJob
        do {
            job = try JobCatalog.jobWithFile(named: options.job, in: settings.jobsDirectory)
        } catch {
            _ = await opening.value
            throw error
        }
        // The run stores the job's snapshot: encoded while the store is still being opened.
        let snapshot = RunEngine.encodeSnapshot(of: job)
        let workspace = try await opening.value.get()
        let alerting = try alerting(settings: settings, workspace: workspace)
        let engine = workspace.engine(workers: options.workers, killGrace: options.killGrace)
        let prepared: PreparedRun
        do {
            prepared = try await engine.startNewRun(
                job: job, trigger: .manual, scheduledAt: Date(), params: options.params,
                only: options.tasks.isEmpty ? nil : Set(options.tasks), encoding: snapshot)
        } catch {
            let mapped = AppError(error)
            throw error is EngineError ? mapped : AppError(mapped.status, "could not record a new run of \(job.name): \(mapped.message)")
        }
        let status = await execute(prepared, engine: engine, output: options.output)
        await deliverAlerts(alerting, run: prepared.id, workspace: workspace, settings: settings)
        return status
    }

    /// Continues a failed or cancelled run in this process.
    public static func retry(
        run id: Int64, workers: Int?, killGrace: Duration, settings: GlobalSettings, output: Int32 = STDOUT_FILENO
    ) async throws(AppError) -> CommandExit {
        let (workspace, _) = try Workspace.recordedRun(id, settings: settings)
        let alerting = try alerting(settings: settings, workspace: workspace)
        let engine = workspace.engine(workers: workers, killGrace: killGrace)
        let prepared: PreparedRun
        do {
            prepared = try engine.prepareRetry(of: id)
        } catch {
            let mapped = AppError(error)
            throw error is EngineError ? mapped : AppError(mapped.status, "could not reopen run \(id): \(mapped.message)")
        }
        let status = await execute(prepared, engine: engine, output: output)
        await deliverAlerts(alerting, run: id, workspace: workspace, settings: settings)
        return status
    }

    private static func execute(_ prepared: PreparedRun, engine: RunEngine, output: Int32) async -> CommandExit {
        let control = RunControl()
        let signals = SignalSource(signals: [SIGINT, SIGTERM]) { signal in
            control.cancel(reason: signal == SIGINT ? "interrupted (Ctrl-C)" : "terminated (SIGTERM)")
        }
        let printer = ProgressPrinter(job: prepared.job, run: prepared.id, live: isatty(output) == 1, output: output)
        let status = await engine.execute(prepared, observer: printer, control: control)
        printer.stop()
        signals.stop()
        switch status {
        case .succeeded: return .success
        case .cancelled: return .cancelled
        default: return .failure
        }
    }
}
