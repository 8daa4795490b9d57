import Foundation
import GnomonCore
import GnomonStore

/// A new run started as it is created: the machine's first decisions (the run running, the tasks
/// that are ready or left out) written as the first values of the run's rows, in the transaction
/// that creates it, instead of updating a thousand freshly inserted rows right after.
struct RunStart {
    /// The machine once started.
    let machine: RunMachine
    /// What `start` decided; its state changes are recorded with the run, its launches are not
    /// performed yet.
    let actions: [RunAction]
    /// Every task with the status and reason it starts in.
    let tasks: [NewTask]

    /// Starts `machine` for a run of the tasks `names`, or returns `nil` when its first decisions
    /// are more than a new run's rows can hold (the run ended at once: nothing was left to run):
    /// such a run is created `queued` and started when it is executed.
    static func fold(_ machine: RunMachine, names: [String], now: Date) -> RunStart? {
        var started = machine
        let actions = started.start(now: now)
        var statuses: [String: (TaskStatus, String?)] = [:]
        for action in actions {
            switch action {
            case .launch, .fanOut:
                continue
            case .recordRun(.running, nil):
                continue
            case let .recordTask(task, status, reason, nil):
                statuses[task] = (status, reason)
            case .recordRun, .recordTask, .kill, .wakeForRetry, .suspended, .recordInstances:
                return nil
            }
        }
        let tasks = names.map { name in
            let (status, reason) = statuses[name] ?? (.waiting, nil)
            return NewTask(name: name, status: status, reason: reason)
        }
        return RunStart(machine: started, actions: actions, tasks: tasks)
    }
}
