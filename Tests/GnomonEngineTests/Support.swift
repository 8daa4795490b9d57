import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore
import GnomonTesting
import Synchronization

/// How a run ended, as the store recorded it.
struct FinishedRun {
    let status: RunStatus
    let detail: RunDetail
    /// Wall time of `execute`, from the first launch to the return.
    let elapsed: Duration

    var id: Int64 { detail.id }

    /// The recorded task, or a record with an impossible status so expectations fail readably.
    func task(_ name: String) -> TaskRecord {
        detail.tasks.first { $0.name == name }
            ?? TaskRecord(name: name, status: .waiting, reason: "no such task recorded", retryAt: nil, attempts: -1, updatedAt: .distantPast)
    }

    /// Each task's status, by name.
    var statuses: [String: TaskStatus] {
        Dictionary(uniqueKeysWithValues: detail.tasks.map { ($0.name, $0.status) })
    }

    /// The outcomes of one task's attempts, oldest first.
    func outcomes(_ task: String) -> [AttemptOutcome?] {
        detail.attempts(of: task).map(\.outcome)
    }
}

/// Records a new run of `job` in the home's store and executes it to its end.
func runToEnd(
    _ job: JobSpec, in home: TemporaryHome, engine: RunEngine? = nil, only: Set<String>? = nil,
    params: [String: String] = [:], control: RunControl = RunControl(),
    observer: any RunObserver = SilentObserver()
) async throws -> FinishedRun {
    let engine = try engine ?? home.engine()
    let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date(), params: params, only: only)
    return try await execute(prepared, engine: engine, control: control, observer: observer)
}

/// Executes a prepared run and reads back what was recorded.
func execute(
    _ prepared: PreparedRun, engine: RunEngine, control: RunControl = RunControl(),
    observer: any RunObserver = SilentObserver()
) async throws -> FinishedRun {
    let clock = ContinuousClock()
    let start = clock.now
    let status = await engine.execute(prepared, observer: observer, control: control)
    let elapsed = clock.now - start
    guard let detail = try engine.store.run(prepared.id) else {
        throw TestSetupError("run \(prepared.id) was not found in the store after it ended")
    }
    return FinishedRun(status: status, detail: detail, elapsed: elapsed)
}

/// Keeps every progress event of a run.
final class ProgressRecorder: RunObserver {
    private let events = Mutex<[RunProgress]>([])

    func progress(_ event: RunProgress) { events.withLock { $0.append(event) } }

    var all: [RunProgress] { events.withLock { $0 } }

    /// Each retry decision: the wait from the end of the failed attempt to the retry time, in
    /// seconds rounded to the millisecond (both come from the engine clock's same reading).
    var retryDecisions: [(task: String, wait: Double)] {
        var ended: [String: Date] = [:]
        var decisions: [(task: String, wait: Double)] = []
        for event in all {
            switch event {
            case let .attemptFinished(task, _, _, at):
                ended[task] = at
            case let .taskChanged(task, status, _, retryAt):
                if status == .retrying, let retryAt, let end = ended[task] {
                    decisions.append((task, (retryAt.timeIntervalSince(end) * 1000).rounded() / 1000))
                }
            default:
                break
            }
        }
        return decisions
    }

    /// Whether an attempt of `task` has started.
    func started(_ task: String) -> Bool {
        all.contains { if case .attemptStarted(task, _, _, _) = $0 { return true } else { return false } }
    }
}

/// A duration written as a job file would write it (`"100ms"`, `"2s"`).
func duration(_ text: String) -> Duration {
    switch DurationText.parse(text) {
    case .success(let value): return value
    case .failure(let problem): fatalError("bad test duration: \(problem)")
    }
}
