import Foundation
import GnomonCore
import GnomonExecution
import GnomonStore

/// `gnomon logs`: an attempt's output, or every attempt's in order, optionally followed live.
public enum RunLogs {
    /// Writes the selected logs to `output`; with `follow`, keeps writing until the attempts end.
    public static func show(
        run id: Int64, task: String?, attempt: Int?, follow: Bool, settings: GlobalSettings,
        output: FileHandle = .standardOutput
    ) async throws(AppError) {
        let (workspace, detail) = try Workspace.recordedRun(id, settings: settings)
        let selected = try select(detail, task: task, attempt: attempt)
        let headers = selected.count > 1 || task == nil
        for record in selected {
            if headers {
                output.write(Data("==> \(record.task) attempt \(record.number) (\(record.outcome?.summary ?? "running")) \(record.logPath) <==\n".utf8))
            }
            try await copy(record, run: id, follow: follow, store: workspace.store, to: output)
        }
    }

    static func select(_ detail: RunDetail, task: String?, attempt: Int?) throws(AppError) -> [AttemptRecord] {
        var attempts = detail.attempts
        if let task {
            guard detail.tasks.contains(where: { $0.name == task }) else {
                throw AppError(.notFound, "run \(detail.id) has no task \"\(task)\"; its tasks are \(detail.tasks.map(\.name).joined(separator: ", "))")
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

    /// Copies one log; when following, keeps reading until the attempt has ended and the file is
    /// drained. A middle dropped under `log_limit` while the attempt runs reads as the line that
    /// says so.
    private static func copy(_ record: AttemptRecord, run: Int64, follow: Bool, store: GnomonStore, to output: FileHandle) async throws(AppError) {
        guard let input = AttemptLogReader(path: record.logPath) else {
            throw AppError(.notFound, "log \(record.logPath) of run \(run) task \(record.task) attempt \(record.number) is missing")
        }
        var ended = record.outcome != nil
        while true {
            switch input.next() {
            case .bytes(let bytes):
                output.write(Data(bytes))
                continue
            case .dropped(let line):
                output.write(Data(line.utf8))
                continue
            case nil:
                break
            }
            if !follow || ended { return }
            try? await Task.sleep(for: .milliseconds(200))
            let latest = try? store.run(run)
            ended = latest?.attempts.first { $0.task == record.task && $0.number == record.number }?.outcome != nil
        }
    }
}
