import Foundation
import GnomonCore

/// How a batch of changes is written in as few statements as give the same rows: a task status
/// that a later one replaces is left out, an attempt started and ended in the batch is inserted
/// ended, and a start's attempt count rides with its task's later status.
extension GnomonStore {
    /// For each attempt started in `changes` and ended later in them: the index of its start and
    /// of its (first) end.
    static func endingsOfStartedAttempts(_ changes: [StoreChange]) -> [Int: Int] {
        struct AttemptKey: Hashable { let run: Int64, task: String, number: Int }
        var started: [AttemptKey: Int] = [:]
        var endings: [Int: Int] = [:]
        for (index, change) in changes.enumerated() {
            switch change {
            case let .attemptStarted(run, task, number, _, _, _, _, _, _, _):
                started[AttemptKey(run: run, task: task, number: number)] = index
            case let .attemptFinished(run, task, number, _, _):
                if let start = started.removeValue(forKey: AttemptKey(run: run, task: task, number: number)) {
                    endings[start] = index
                }
            default:
                break
            }
        }
        return endings
    }

    /// The attempt counts that task statuses carry: for each task status in `changes` that comes
    /// after attempt starts of its task, the highest attempt number started before it, which its
    /// UPDATE of `run_tasks` records too; those starts (`carried`) then update nothing there. One
    /// statement less per attempt in the usual batch (an attempt's start, its end, its task's
    /// status), and the row ends the same (the status's later update time wins either way).
    static func attemptCountsCarried(_ changes: [StoreChange]) -> (carriers: [Int: Int], carried: Set<Int>) {
        var pending: [TaskKey: (starts: [Int], number: Int)] = [:]
        var carriers: [Int: Int] = [:]
        var carried: Set<Int> = []
        for (index, change) in changes.enumerated() {
            switch change {
            case let .attemptStarted(run, task, number, _, _, _, _, _, _, _):
                let key = TaskKey(run: run, task: task)
                var starts = pending[key] ?? ([], 0)
                starts.starts.append(index)
                starts.number = max(starts.number, number)
                pending[key] = starts
            case let .taskStatus(run, task, _, _, _, _):
                guard let starts = pending.removeValue(forKey: TaskKey(run: run, task: task)) else { continue }
                carriers[index] = starts.number
                carried.formUnion(starts.starts)
            default:
                break
            }
        }
        return (carriers, carried)
    }

    /// `changes` less every task status that a later task status of the same task replaces
    /// entirely (status, reason, retry time and update time are all set again).
    static func withoutOverwrittenStatuses(_ changes: [StoreChange]) -> [StoreChange] {
        guard changes.count > 1 else { return changes }
        var later: Set<TaskKey> = []
        var kept: [StoreChange] = []
        kept.reserveCapacity(changes.count)
        for change in changes.reversed() {
            if case let .taskStatus(run, task, _, _, _, _) = change {
                guard later.insert(TaskKey(run: run, task: task)).inserted else { continue }
            }
            kept.append(change)
        }
        return kept.reversed()
    }
}

/// A task of a run, as the batch rules tell its changes apart.
private struct TaskKey: Hashable {
    let run: Int64
    let task: String
}
