import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore

/// Turns successive looks at a run that executes elsewhere into the progress events its runner
/// tells (`RunProgress`), so `ProgressPrinter` shows a remote retry as it shows a local one.
///
/// Events come in the order of the looks: what changed between two looks is told attempts
/// first (started, then ended), then tasks, then the run.
struct RunFollower {
    /// The run as it was before it was continued: what it had done then is not told again.
    private let before: RunDetail
    /// Attempts told, by task and number, and whether their end was told.
    private var attempts: [String: Bool] = [:]
    /// Each task's status and attempt count when last told.
    private var tasks: [String: (status: TaskStatus, attempts: Int)] = [:]
    private var started = false
    private var finished = false
    /// True until a look shows the run continued (running again, or finished anew).
    private(set) var waitsForStart = true

    init(before: RunDetail) {
        self.before = before
        for attempt in before.attempts { attempts[Self.key(attempt)] = attempt.outcome != nil }
        for task in before.tasks { tasks[task.name] = (task.status, task.attempts) }
    }

    private static func key(_ attempt: AttemptRecord) -> String { "\(attempt.task)#\(attempt.number)" }

    /// What happened since the previous look, given the run as it is now.
    mutating func events(_ detail: RunDetail) -> [RunProgress] {
        let summary = detail.summary
        if waitsForStart {
            let continued = !summary.status.isFinished || summary.finishedAt != before.summary.finishedAt
                || detail.attempts.count != before.attempts.count
            guard continued else { return [] }
            waitsForStart = false
        }
        var events: [RunProgress] = []
        if !started {
            started = true
            events.append(.runStarted(run: detail.id, job: summary.job, tasks: detail.tasks.count))
        }
        for attempt in detail.attempts {
            let key = Self.key(attempt)
            if attempts[key] == nil {
                attempts[key] = false
                events.append(.attemptStarted(task: attempt.task, attempt: attempt.number, pid: attempt.pid, at: attempt.startedAt))
            }
            if attempts[key] == false, let outcome = attempt.outcome {
                attempts[key] = true
                events.append(.attemptFinished(task: attempt.task, attempt: attempt.number, outcome: outcome, at: attempt.endedAt ?? Date()))
            }
        }
        for task in detail.tasks {
            let last = tasks[task.name]
            guard last?.status != task.status || last?.attempts != task.attempts else { continue }
            tasks[task.name] = (task.status, task.attempts)
            if task.status.isFinished || task.status == .retrying {
                events.append(.taskChanged(task: task.name, status: task.status, reason: task.reason, retryAt: task.retryAt))
            }
        }
        if summary.status.isFinished && !finished {
            finished = true
            events.append(.runFinished(run: detail.id, status: summary.status, reason: summary.reason, at: summary.finishedAt ?? Date()))
        }
        return events
    }
}
