import Foundation
import GnomonCore
@testable import GnomonStore

/// Readable fixed times: `at("2024-05-01T12:00:00Z")`.
func at(_ text: String) -> Date {
    guard let date = StoreDate.parse(text) else { fatalError("bad test date \(text)") }
    return date
}

/// A job with tasks `extract -> transform -> load` (or the given names), listed in that order.
func job(_ name: String = "etl", tasks: [String] = ["extract", "transform", "load"]) -> JobSpec {
    var previous: String?
    let specs = tasks.map { task -> TaskSpec in
        defer { previous = task }
        return TaskSpec(
            name: task, action: .shell("echo \(task)"), dependsOn: previous.map { [$0] } ?? [],
            timeout: .seconds(90), env: ["STAGE": task])
    }
    return JobSpec(
        name: name, schedule: ScheduleSpec(expression: "0 * * * *", timeZone: "Europe/Paris"),
        timeout: .seconds(3_600), tasks: specs, directory: "/srv/jobs")
}

/// A new run of `spec` with every task waiting.
func newRun(
    _ spec: JobSpec = job(), trigger: RunTrigger = .schedule, scheduledAt: Date = at("2024-05-01T12:00:00Z"),
    createdAt: Date? = nil, status: RunStatus = .queued, params: [String: String] = [:]
) -> NewRun {
    NewRun(
        job: spec.name, trigger: trigger, scheduledAt: scheduledAt, createdAt: createdAt ?? scheduledAt,
        status: status, params: params, snapshot: spec, runnerPID: 4242, runnerInstance: "runner-A",
        tasks: spec.tasks.map { NewTask(name: $0.name) })
}

/// An attempt start with the usual test values.
func attemptStarted(_ run: Int64, _ task: String, _ number: Int = 1, at date: Date) -> StoreChange {
    .attemptStarted(
        run: run, task: task, number: number, at: date, pid: nil, pgid: nil, containerName: nil,
        logPath: "/logs/\(run)/\(task).\(number).log", runnerInstance: "runner-A")
}
