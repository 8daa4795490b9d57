import Foundation
import GnomonCore
import GnomonStore

/// Runs the daemon creates: scheduled, caught up, triggered, or created now and started later.
extension RunEngine {
    /// Records a new run of `job` and returns it ready to execute.
    ///
    /// Like `prepareNewRun`, and with `request` the claimed trigger request it answers, attached in
    /// the same transaction. Throws `StoreError.duplicateRun` when a `schedule` or `catchup` run of
    /// that job and time exists already.
    ///
    /// - Parameters:
    ///   - only: the tasks a trigger asked for (their dependencies ignored); nil runs all. An
    ///     unknown name throws `EngineError.unknownTasks`.
    ///   - seed: seeds the run's retry jitter; the daemon draws it from its random source.
    public func prepareDaemonRun(
        job: ValidJob, trigger: RunTrigger, scheduledAt: Date, params: [String: String] = [:],
        only: Set<String>? = nil, request: Int64? = nil, seed: UInt64
    ) throws -> PreparedRun {
        let graph = job.graph
        if let only {
            let unknown = only.subtracting(graph.names).sorted()
            if !unknown.isEmpty { throw EngineError.unknownTasks(job: job.name, names: unknown, known: graph.names) }
        }
        let machine = RunMachine(job: job.spec, graph: graph, only: only, seed: seed)
        let id = try store.createRun(NewRun(
            job: job.name, trigger: trigger, scheduledAt: scheduledAt, createdAt: clock.now(),
            params: params, snapshot: job.spec, runnerPID: settings.runnerPID,
            runnerInstance: settings.runnerInstance,
            tasks: graph.names.map { NewTask(name: $0, status: .waiting, reason: nil) },
            triggerRequestID: request))
        return PreparedRun(id: id, job: job.spec, scheduledAt: scheduledAt, params: params, machine: machine)
    }

    /// Records a run that was created but never started as cancelled, every task with it (an
    /// overlap `replace` dropping a pending run).
    public func cancelUnstarted(_ run: PreparedRun, reason: String) throws {
        let now = clock.now()
        try store.record(run.machine.graph.names.map {
            .taskStatus(run: run.id, task: $0, status: .cancelled, reason: reason, retryAt: nil, at: now)
        } + [.runStatus(run: run.id, status: .cancelled, reason: reason, at: now)])
    }
}
