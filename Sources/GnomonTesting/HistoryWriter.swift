import Foundation
import GnomonCore
import GnomonStore

/// Writes a long history quickly, through the store itself (as `gnomon-bench filldb` does):
/// finished runs of one job, each with its attempts (one task per attempt) and, when asked, a
/// real log file per attempt where the engine would have put it.
public struct HistoryWriter {
    public let store: GnomonStore
    public let home: String
    /// Runs written per transaction.
    public var batch = 500

    public init(store: GnomonStore, home: String) {
        self.store = store
        self.home = home
    }

    /// Writes `count` succeeded runs of `job`, oldest first, the first ending at `firstEnd` and
    /// each next one `spacing` later; each has `attempts` attempts (tasks `t1`, `t2`, …) whose
    /// logs hold `logText` when given (no files otherwise). Returns their ids, oldest first.
    @discardableResult
    public func write(
        job: String, count: Int, attempts: Int = 1, firstEnd: Date, spacing: TimeInterval = 60, logText: String? = nil
    ) throws -> [Int64] {
        let tasks = (1...max(1, attempts)).map { "t\($0)" }
        let spec = JobSpec(name: job, tasks: tasks.map { TaskSpec(name: $0, action: .shell("true")) }, directory: home)
        var ids: [Int64] = []
        var written = 0
        while written < count {
            let size = min(batch, count - written)
            let ends = (written..<(written + size)).map { firstEnd.addingTimeInterval(Double($0) * spacing) }
            let runs = ends.map { end in
                NewRun(job: job, trigger: .manual, scheduledAt: end.addingTimeInterval(-1), createdAt: end.addingTimeInterval(-1),
                       status: .running, snapshot: spec, runnerPID: 4242, runnerInstance: "history-writer",
                       tasks: tasks.map { NewTask(name: $0) })
            }
            ids += try store.createRuns(runs) { index, run in
                let end = ends[index]
                var changes: [StoreChange] = []
                for task in tasks {
                    let log = logPath(job: job, run: run, task: task)
                    if let logText { Self.writeFile(log, logText) }
                    changes.append(.attemptStarted(run: run, task: task, number: 1, at: end.addingTimeInterval(-0.5), pid: 1000,
                                                   pgid: 1000, containerName: nil, logPath: log, runnerInstance: "history-writer"))
                    changes.append(.attemptFinished(run: run, task: task, number: 1, outcome: .exited(code: 0), at: end))
                    changes.append(.taskStatus(run: run, task: task, status: .succeeded, reason: nil, retryAt: nil, at: end))
                }
                changes.append(.runStatus(run: run, status: .succeeded, reason: nil, at: end))
                return changes
            }
            written += size
        }
        return ids
    }

    /// Where the engine puts the log of attempt 1 of `task` of `run`.
    public func logPath(job: String, run: Int64, task: String) -> String {
        "\(home)/logs/\(job)/\(run)/\(task).1.log"
    }

    static func writeFile(_ path: String, _ text: String) {
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    }
}
