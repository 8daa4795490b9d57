import Foundation
import GnomonCore
import GnomonStore

/// The store's cost per task of a chain, as the engine records it:
///
///     gnomon-bench record [HOME] [TASKS]
///
/// Creates one run of TASKS tasks (default 1,000) in a fresh home (default a new folder under
/// /tmp), then for each task the two transactions the engine makes: when it starts (task running,
/// attempt started) and when it ends (attempt finished, task succeeded, the next task ready).
/// Prints the time per transaction.
enum RecordBenchmark {
    static func run(_ arguments: [String]) throws {
        let home = arguments.first ?? NSTemporaryDirectory() + "gnomon-record-bench-\(UUID().uuidString)"
        let count = arguments.count > 1 ? Int(arguments[1]) ?? 1_000 : 1_000
        let names = (0..<count).map { "t\($0)" }
        let job = JobSpec(
            name: "record", tasks: names.map { TaskSpec(name: $0, action: .command(["/bin/true"])) },
            directory: "/tmp")
        let store = try GnomonStore.open(home: home)
        let instance = UUID().uuidString
        let clock = ContinuousClock()
        let created = clock.now
        let run = try store.createRun(NewRun(
            job: "record", trigger: .manual, scheduledAt: Date(), createdAt: Date(), status: .running,
            snapshot: job, runnerPID: getpid(), runnerInstance: instance,
            tasks: names.map { NewTask(name: $0) }))
        let createTime = clock.now - created
        var startTime = Duration.zero, endTime = Duration.zero
        for (index, task) in names.enumerated() {
            let began = clock.now
            try store.record([
                .taskStatus(run: run, task: task, status: .running, reason: nil, retryAt: nil, at: Date()),
                .attemptStarted(
                    run: run, task: task, number: 1, at: Date(), pid: 1_000, pgid: 1_000, containerName: nil,
                    logPath: "\(home)/logs/record/\(run)/\(task).1.log", runnerInstance: instance),
            ])
            let middle = clock.now
            var end: [StoreChange] = [
                .attemptFinished(run: run, task: task, number: 1, outcome: .exited(code: 0), at: Date()),
                .taskStatus(run: run, task: task, status: .succeeded, reason: nil, retryAt: nil, at: Date()),
            ]
            if index + 1 < count {
                end.append(.taskStatus(run: run, task: names[index + 1], status: .ready, reason: nil, retryAt: nil, at: Date()))
            }
            try store.record(end)
            startTime += middle - began
            endTime += clock.now - middle
        }
        print("record: createRun with \(count) tasks: \(createTime)")
        print("record: start transaction (2 changes): \(startTime / count) each")
        print("record: end transaction (3 changes): \(endTime / count) each")
        if arguments.first == nil { try? FileManager.default.removeItem(atPath: home) }
    }
}
