import Foundation
import GnomonCore
import GnomonNotify
import GnomonStore

/// Builds the alert an event raises, from what the store holds of its run.
enum AlertBuilder {
    /// The alert of kind `kind` for `event`; `run` is the event's run in full (when it has one),
    /// `previous` the status of the job's run before it.
    static func alert(
        kind: NotifyCondition, event: StoredEvent, run: RunDetail?, previous: RunStatus?, memory: AlertMemory,
        publicURL: String?
    ) -> Alert {
        let type = Alert.Kind(rawValue: kind.rawValue) ?? .failure
        let failed = run.map(failedTasks) ?? []
        let summary = run?.summary
        let duration = summary.flatMap { run -> Double? in
            guard let started = run.startedAt, let finished = run.finishedAt else { return nil }
            return finished.timeIntervalSince(started)
        }
        var text = Alert.oneLine(type: type, job: event.job, runID: event.runID, failedTasks: failed)
        if run == nil || event.type == .diskLow || event.type == .diskOk, let detail = event.detail { text += ": " + detail }
        return Alert(
            eventID: event.id, type: type, job: event.job, runID: event.runID,
            status: summary?.status.rawValue ?? event.status, previousStatus: previous?.rawValue,
            consecutiveFailures: memory.consecutiveFailures, trigger: summary?.trigger.rawValue,
            scheduledAt: summary?.scheduledAt, startedAt: summary?.startedAt, finishedAt: summary?.finishedAt,
            durationSeconds: duration, failedTasks: failed,
            url: publicURL.flatMap { base in event.runID.map { (base.hasSuffix("/") ? String(base.dropLast()) : base) + "/runs/\($0)" } },
            text: text)
    }

    /// The run's failed tasks, each with its last attempt's exit code, reason and log tail.
    static func failedTasks(_ run: RunDetail) -> [Alert.FailedTask] {
        run.tasks.filter { $0.status == .failed }.map { task in
            let last = run.attempts.last { $0.task == task.name }
            var exitCode: Int32?
            if case .exited(let code) = last?.outcome { exitCode = code }
            let reason = last?.outcome?.summary ?? task.reason ?? "failed"
            return Alert.FailedTask(task: task.name, exitCode: exitCode, reason: reason, logTail: last.map { tail(of: $0.logPath) } ?? "")
        }
    }

    /// The end of a log file (at most 16 KiB read; `FailedTask` keeps its last lines).
    static func tail(of path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 16_384 ? size - 16_384 : 0)
        let data = (try? handle.readToEnd()) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
