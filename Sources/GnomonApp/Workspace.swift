import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonStore

/// What a command needs to touch runs: the settings and the open store.
public struct Workspace: Sendable {
    public let settings: GlobalSettings
    public let store: GnomonStore

    /// Opens (creating on first use) the database in the home folder.
    public static func open(_ settings: GlobalSettings) throws(AppError) -> Workspace {
        do {
            return Workspace(settings: settings, store: try GnomonStore.open(home: settings.home))
        } catch {
            throw AppError(error)
        }
    }

    /// Opens the database only if it exists (listing commands never create one).
    public static func openIfPresent(_ settings: GlobalSettings) throws(AppError) -> Workspace? {
        guard FileManager.default.fileExists(atPath: settings.databasePath) else { return nil }
        return try open(settings)
    }

    /// An engine over this store that runs local processes and containers with `workers` slots.
    public func engine(workers: Int?, killGrace: Duration = .seconds(10)) -> RunEngine {
        let engineSettings = EngineSettings(home: settings.home, killGrace: killGrace)
        return RunEngine(
            store: store, executor: ExecutorRouter.standard(environment: engineSettings.baseEnvironment),
            pool: WorkerPool(width: workers ?? ProcessInfo.processInfo.activeProcessorCount),
            settings: engineSettings)
    }

    /// The recorded run `id`, or a not-found error that says how to list runs.
    ///
    /// - Parameter snapshot: false leaves the job's stored definition out (see `GnomonStore.run`).
    public func run(_ id: Int64, snapshot: Bool = true) throws(AppError) -> RunDetail {
        let detail: RunDetail?
        do { detail = try store.run(id, snapshot: snapshot) } catch { throw AppError(error) }
        guard let detail else {
            if let note = try? store.prunedRun(id) { throw Self.runPruned(id, note, settings: settings) }
            throw Self.runNotFound(id, settings: settings, databaseExists: true)
        }
        return detail.withSlurmStates()
    }

    /// The message for a run that retention removed (still not found, exit 3).
    static func runPruned(_ id: Int64, _ note: PrunedRunNote, settings: GlobalSettings) -> AppError {
        let last = note.lastPrunedAt.map { ", the last at \(ISOTime.utc($0))" } ?? ""
        return AppError(.notFound, "run \(id) was pruned: it was outside its job's keep: policy, and its record and logs "
            + "were removed (\(note.runsPruned) run(s) pruned from \(settings.databasePath) so far\(last)); "
            + "`gnomon runs` lists the runs kept, Docs/storage.md says how to keep more")
    }

    /// The workspace and its recorded run `id`, for commands about one run (`show`, `logs`,
    /// `kill`, `retry`); they never create a database, and an unknown run is `.notFound` (exit 3).
    public static func recordedRun(_ id: Int64, settings: GlobalSettings) throws(AppError) -> (Workspace, RunDetail) {
        guard let workspace = try openIfPresent(settings) else {
            throw runNotFound(id, settings: settings, databaseExists: false)
        }
        return (workspace, try workspace.run(id))
    }

    /// The one message for a run id that names no run.
    static func runNotFound(_ id: Int64, settings: GlobalSettings, databaseExists: Bool) -> AppError {
        databaseExists
            ? AppError(.notFound, "run \(id) not found in \(settings.databasePath); `gnomon runs` lists the recorded runs")
            : AppError(.notFound, "run \(id) not found: there is no database at \(settings.databasePath) yet")
    }
}
