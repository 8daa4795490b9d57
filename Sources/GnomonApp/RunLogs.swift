import Foundation
import GnomonCore
import GnomonExecution
import GnomonStore

/// `gnomon logs`: an attempt's output, or every attempt's in order, optionally followed live.
public enum RunLogs {
    /// Writes the selected logs of this machine's run to `output`; with `follow`, keeps writing
    /// until the attempts end.
    public static func show(
        run id: Int64, task: String?, attempt: Int?, follow: Bool, settings: GlobalSettings,
        output: FileHandle = .standardOutput
    ) async throws(AppError) {
        try await show(run: id, task: task, attempt: attempt, follow: follow, source: LocalSource(settings: settings), output: output)
    }

    /// Writes the selected logs to `output`, read through `source`.
    public static func show(
        run id: Int64, task: String?, attempt: Int?, follow: Bool, source: any CommandSource,
        output: FileHandle = .standardOutput
    ) async throws(AppError) {
        let detail = try await source.runWithoutSnapshot(id)
        let selected = try select(detail, task: task, attempt: attempt)
        let headers = selected.count > 1 || task == nil
        for record in selected {
            if headers {
                output.write(Data("==> \(record.task) attempt \(record.number) (\(record.outcome?.summary ?? "running")) \(record.logPath) <==\n".utf8))
            }
            try await source.copyLog(run: id, attempt: record, follow: follow, to: output)
        }
    }

    static func select(_ detail: RunDetail, task: String?, attempt: Int?) throws(AppError) -> [AttemptRecord] {
        var attempts = detail.attempts
        if let task {
            guard detail.tasks.contains(where: { $0.name == task }) else {
                let names = detail.tasks.filter { $0.instanceOf == nil }.map(\.name)
                throw AppError(.notFound, "run \(detail.id) has no task \"\(task)\"; its tasks are \(Suggest.list(names))")
            }
            // Read without the job's definition: a foreach task is known by its instances (one
            // whose list was empty has none, and no log either).
            let count = detail.tasks.reduce(0) { $0 + ($1.instanceOf == task ? 1 : 0) }
            if count > 0 {
                throw AppError(.notFound, "\(task) is a foreach task: its output is in its instances' logs; name one, like gnomon logs \(detail.id) '\(task)[0]' (its instances are \(task)[0] to \(task)[\(count - 1)])")
            }
            attempts = attempts.filter { $0.task == task }
            if let attempt {
                attempts = attempts.filter { $0.number == attempt }
                guard !attempts.isEmpty else {
                    throw AppError(.notFound, "task \(task) of run \(detail.id) has no attempt \(attempt)")
                }
            } else if let last = attempts.last {
                attempts = [last]
            }
        } else if attempt != nil {
            throw AppError(.usage, "--attempt needs a TASK: gnomon logs \(detail.id) TASK --attempt N")
        }
        guard !attempts.isEmpty else {
            throw AppError(.notFound, "run \(detail.id) has no attempts\(task.map { " of task \($0)" } ?? "") yet")
        }
        return attempts
    }
}
