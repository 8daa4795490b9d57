import Foundation
import GnomonCore
import GnomonStore

/// Fills a Gnomon home with a long history, through GnomonStore itself (never hand-written SQL,
/// which could drift from the schema):
///
///     gnomon-bench filldb HOME [RUNS] [ATTEMPTS_PER_RUN] [JOBS]
///
/// Defaults: 100,000 runs of 20 hourly jobs (`job-00` to `job-19`; `printf job-%02d` names them) with 10 attempts each (1,000,000 attempts): 8 tasks,
/// two of which failed once and succeeded on their retry. About 1 run in 20 failed and 1 in 100
/// was cancelled. Writes 1,000 runs per transaction.
enum FillDatabase {
    static let defaultJobCount = 20
    static let batch = 1_000
    static let taskNames = ["extract", "validate", "transform-a", "transform-b", "load", "index", "report", "notify"]
    /// Hourly runs, the newest one hour before the fill started.
    static let interval: TimeInterval = 3_600

    static func run(_ arguments: [String]) throws {
        guard let home = arguments.first else {
            throw BenchError("usage: gnomon-bench filldb HOME [RUNS] [ATTEMPTS_PER_RUN] [JOBS]")
        }
        let runs = arguments.count > 1 ? Int(arguments[1]) ?? -1 : 100_000
        let attemptsPerRun = arguments.count > 2 ? Int(arguments[2]) ?? -1 : 10
        let jobCount = arguments.count > 3 ? Int(arguments[3]) ?? -1 : defaultJobCount
        guard runs > 0, attemptsPerRun >= taskNames.count, jobCount > 0 else {
            throw BenchError("RUNS and JOBS must be positive and ATTEMPTS_PER_RUN at least \(taskNames.count)")
        }
        let store = try GnomonStore.open(home: home)
        let jobs = (0..<jobCount).map { job(named: String(format: "job-%02d", $0)) }
        let instance = UUID().uuidString.lowercased()
        let now = Date().timeIntervalSince1970.rounded(.down)
        let started = ContinuousClock.now
        var written = 0
        while written < runs {
            let count = min(batch, runs - written)
            let plans = (written..<(written + count)).map { index -> Plan in
                // Oldest first, so ids grow with time as they do in a real history.
                let slot = (runs - 1 - index) / jobCount
                let at = Date(timeIntervalSince1970: now - interval * Double(slot + 1))
                return Plan(index: index, job: jobs[index % jobCount], scheduledAt: at, attempts: attemptsPerRun)
            }
            _ = try store.createRuns(plans.map { $0.newRun(instance: instance) }) { offset, id in
                plans[offset].changes(run: id, home: home, instance: instance)
            }
            written += count
            if written % (runs / 10 == 0 ? runs : runs / 10) == 0 || written == runs {
                let elapsed = ContinuousClock.now - started
                print("filldb: \(written) runs, \(written * attemptsPerRun) attempts written in \(elapsed)")
            }
        }
    }

    static func job(named name: String) -> JobSpec {
        let retry = RetryPolicy(limit: 2, delay: .seconds(30))
        let tasks = taskNames.enumerated().map { index, task in
            TaskSpec(
                name: task, action: .shell("./\(task).sh --date \"$GNOMON_SCHEDULED_TIME\""),
                dependsOn: index == 0 ? [] : [taskNames[index == 3 ? 1 : index - 1]],
                retry: index == 0 || index == 4 ? retry : RetryPolicy(), timeout: .seconds(1_800),
                env: ["STAGE": task])
        }
        return JobSpec(
            name: name, description: "benchmark history", schedule: ScheduleSpec(expression: "0 * * * *"),
            tasks: tasks, directory: "/srv/jobs")
    }

    /// One run to write: its attempts and how it ended.
    struct Plan {
        let index: Int
        let job: JobSpec
        let scheduledAt: Date
        let attempts: Int

        var status: RunStatus {
            index % 100 == 7 ? .cancelled : index % 20 == 3 ? .failed : .succeeded
        }

        func newRun(instance: String) -> NewRun {
            NewRun(
                job: job.name, trigger: .schedule, scheduledAt: scheduledAt,
                createdAt: scheduledAt.addingTimeInterval(0.2), status: .running,
                params: [:], snapshot: job, runnerPID: 4242, runnerInstance: instance,
                tasks: job.tasks.map { NewTask(name: $0.name) })
        }

        /// Every attempt (the extra ones as failed first tries of the first tasks), then each
        /// task's final status and the run's.
        func changes(run: Int64, home: String, instance: String) -> [StoreChange] {
            var changes: [StoreChange] = []
            var clock = scheduledAt.addingTimeInterval(0.25)
            let names = job.tasks.map(\.name)
            var perTask = Array(repeating: 1, count: names.count)
            for extra in 0..<(attempts - names.count) { perTask[extra % names.count] += 1 }
            let last = names.count - 1
            for (position, task) in names.enumerated() {
                for number in 1...perTask[position] {
                    let ends = clock.addingTimeInterval(Double(7 + (index + position) % 50))
                    let finalAttempt = number == perTask[position]
                    let outcome: AttemptOutcome
                    if !finalAttempt {
                        outcome = .exited(code: 1)
                    } else if position == last, status == .failed {
                        outcome = .exited(code: 2)
                    } else if position == last, status == .cancelled {
                        outcome = .cancelled
                    } else {
                        outcome = .exited(code: 0)
                    }
                    changes.append(.attemptStarted(
                        run: run, task: task, number: number, at: clock, pid: Int32(1_000 + position),
                        pgid: Int32(1_000 + position), containerName: nil,
                        logPath: "\(home)/logs/\(job.name)/\(run)/\(task).\(number).log", runnerInstance: instance))
                    changes.append(.attemptFinished(run: run, task: task, number: number, outcome: outcome, at: ends))
                    clock = ends.addingTimeInterval(0.01)
                }
                let taskStatus: TaskStatus = position != last || status == .succeeded ? .succeeded
                    : status == .failed ? .failed : .cancelled
                let reason: String? = taskStatus == .succeeded ? nil
                    : taskStatus == .failed ? "attempt 1 exit 2" : "killed by gnomon kill"
                changes.append(.taskStatus(run: run, task: task, status: taskStatus, reason: reason, retryAt: nil, at: clock))
            }
            let reason: String? = status == .succeeded ? nil
                : status == .failed ? "notify failed" : "killed by gnomon kill"
            changes.append(.runStatus(run: run, status: status, reason: reason, at: clock))
            return changes
        }
    }
}
