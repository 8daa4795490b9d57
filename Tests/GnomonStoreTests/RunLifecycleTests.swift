import Foundation
import GnomonCore
import GnomonTesting
import Testing
@testable import GnomonStore

@Suite("Creating and recording runs")
struct RunLifecycleTests {
    @Test("a run's changes read back exactly, tasks in the snapshot's order")
    func roundTrip() throws {
        let home = try TemporaryHome()
        let store = try GnomonStore.open(home: home.home)
        let t0 = at("2024-05-01T12:00:00Z")
        var new = newRun(params: ["date": "2024-05-01", "mode": "full"])
        new.tasks.reverse()  // given out of order: stored in the snapshot's order
        let id = try store.createRun(new)

        try store.record([
            .runStatus(run: id, status: .running, reason: nil, at: t0.addingTimeInterval(1)),
            .taskStatus(run: id, task: "extract", status: .running, reason: nil, retryAt: nil, at: t0.addingTimeInterval(1)),
            .attemptStarted(
                run: id, task: "extract", number: 1, at: t0.addingTimeInterval(1), pid: 300, pgid: 300,
                containerName: "gnomon-etl-1-extract", logPath: "/logs/1/extract.1.log", runnerInstance: "runner-A"),
        ])
        try store.record([
            .attemptFinished(run: id, task: "extract", number: 1, outcome: .exited(code: 3), at: t0.addingTimeInterval(2.5)),
            .taskStatus(run: id, task: "extract", status: .retrying, reason: "exit 3",
                        retryAt: t0.addingTimeInterval(12.5), at: t0.addingTimeInterval(2.5)),
        ])
        try store.record([
            attemptStarted(id, "extract", 2, at: t0.addingTimeInterval(12.5)),
            .attemptFinished(run: id, task: "extract", number: 2, outcome: .signalled(signal: 9), at: t0.addingTimeInterval(13)),
            .taskStatus(run: id, task: "extract", status: .failed, reason: "signal 9", retryAt: nil, at: t0.addingTimeInterval(13)),
            .taskStatus(run: id, task: "transform", status: .skipped, reason: "extract failed", retryAt: nil, at: t0.addingTimeInterval(13)),
            .taskStatus(run: id, task: "load", status: .skipped, reason: "extract failed", retryAt: nil, at: t0.addingTimeInterval(13)),
            .runStatus(run: id, status: .failed, reason: "task extract failed", at: t0.addingTimeInterval(13)),
        ])

        let detail = try #require(try store.run(id))
        #expect(detail.summary == RunSummary(
            id: id, job: "etl", trigger: .schedule, status: .failed, reason: "task extract failed",
            scheduledAt: t0, createdAt: t0, startedAt: t0.addingTimeInterval(1), finishedAt: t0.addingTimeInterval(13),
            taskCounts: [.failed: 1, .skipped: 2], runnerPID: 4242, runnerInstance: "runner-A"))
        #expect(detail.params == ["date": "2024-05-01", "mode": "full"])
        #expect(detail.snapshot == job())
        #expect(detail.tasks == [
            TaskRecord(name: "extract", status: .failed, reason: "signal 9", retryAt: nil, attempts: 2,
                       updatedAt: t0.addingTimeInterval(13)),
            TaskRecord(name: "transform", status: .skipped, reason: "extract failed", retryAt: nil, attempts: 0,
                       updatedAt: t0.addingTimeInterval(13)),
            TaskRecord(name: "load", status: .skipped, reason: "extract failed", retryAt: nil, attempts: 0,
                       updatedAt: t0.addingTimeInterval(13)),
        ])
        #expect(detail.attempts == [
            AttemptRecord(
                number: 1, task: "extract", startedAt: t0.addingTimeInterval(1), endedAt: t0.addingTimeInterval(2.5),
                pid: 300, pgid: 300, containerName: "gnomon-etl-1-extract", logPath: "/logs/1/extract.1.log",
                outcome: .exited(code: 3), runnerInstance: "runner-A"),
            AttemptRecord(
                number: 2, task: "extract", startedAt: t0.addingTimeInterval(12.5), endedAt: t0.addingTimeInterval(13),
                pid: nil, pgid: nil, containerName: nil, logPath: "/logs/\(id)/extract.2.log",
                outcome: .signalled(signal: 9), runnerInstance: "runner-A"),
        ])
        #expect(try store.run(id + 1) == nil)
    }

    @Test("a retry time is kept while retrying and every outcome kind reads back", arguments: [
        AttemptOutcome.exited(code: 0), .exited(code: -1), .signalled(signal: 15), .timedOut, .cancelled,
        .couldNotStart(reason: "no such file: /bin/nope"), .lost, .interrupted, .outOfMemory,
        .outputRefused(reason: "line 2 of the output file: \"x\" is neither key=value nor key<<DELIMITER"),
    ])
    func outcomesRoundTrip(_ outcome: AttemptOutcome) throws {
        let store = try GnomonStore.inMemory()
        let t0 = at("2024-05-01T12:00:00Z")
        let id = try store.createRun(newRun())
        try store.record([
            attemptStarted(id, "load", at: t0),
            .attemptFinished(run: id, task: "load", number: 1, outcome: outcome, at: t0.addingTimeInterval(1)),
            .taskStatus(run: id, task: "load", status: .retrying, reason: outcome.summary,
                        retryAt: t0.addingTimeInterval(30), at: t0.addingTimeInterval(1)),
        ])
        let detail = try #require(try store.run(id))
        #expect(detail.attempts.map(\.outcome) == [outcome])
        #expect(detail.tasks.last?.retryAt == t0.addingTimeInterval(30))
        #expect(detail.tasks.last?.attempts == 1)
    }

    struct SlurmCase: CustomTestStringConvertible, Sendable {
        let name: String
        let recorded: String?
        let read: SlurmJobRecord?
        var testDescription: String { name }
    }

    @Test("a Slurm attempt's job id reads back; an unknown id ('') reads as nil", arguments: [
        SlurmCase(name: "a job id", recorded: "117", read: SlurmJobRecord(id: "117")),
        SlurmCase(name: "an id not known yet", recorded: "", read: SlurmJobRecord(id: nil)),
        SlurmCase(name: "not a Slurm attempt", recorded: nil, read: nil),
    ])
    func slurmJob(_ c: SlurmCase) throws {
        let home = try TemporaryHome()
        let store = try GnomonStore.open(home: home.home)
        let t0 = at("2024-05-01T12:00:00Z")
        let id = try store.createRun(newRun())
        try store.record([
            .attemptStarted(
                run: id, task: "extract", number: 1, at: t0, pid: nil, pgid: nil, containerName: nil,
                logPath: "/logs/1/extract.1.log", runnerInstance: "runner-A", slurmJob: c.recorded),
        ])
        let attempt = try #require(try store.run(id)?.attempts.first)
        #expect(attempt.slurm == c.read)
        #expect(attempt.containerName == nil)
    }

    @Test("a run created running or finished gets its start and finish times")
    func createdWithStatus() throws {
        let store = try GnomonStore.inMemory()
        let t0 = at("2024-05-01T12:00:00Z")
        let running = try store.createRun(newRun(trigger: .manual, status: .running))
        let failed = try store.createRun(newRun(trigger: .manual, status: .failed))
        #expect(try store.run(running)?.summary.startedAt == t0)
        #expect(try store.run(running)?.summary.finishedAt == nil)
        #expect(try store.run(failed)?.summary.finishedAt == t0)
    }

    @Test("finished_at keeps the first finish and is cleared if the run goes back to running")
    func finishTimes() throws {
        let store = try GnomonStore.inMemory()
        let t0 = at("2024-05-01T12:00:00Z")
        let id = try store.createRun(newRun())
        try store.record([.runStatus(run: id, status: .cancelled, reason: "killed", at: t0.addingTimeInterval(5))])
        try store.record([.runStatus(run: id, status: .cancelled, reason: "killed", at: t0.addingTimeInterval(9))])
        #expect(try store.run(id)?.summary.finishedAt == t0.addingTimeInterval(5))
        try store.record([.runStatus(run: id, status: .running, reason: nil, at: t0.addingTimeInterval(10))])
        let summary = try #require(try store.run(id)?.summary)
        #expect(summary.finishedAt == nil)
        #expect(summary.startedAt == t0.addingTimeInterval(10))
    }

    @Test("a scheduled time has one run, even from two stores on the same file")
    func duplicateScheduledRunRejected() throws {
        let home = try TemporaryHome()
        let first = try GnomonStore.open(home: home.home)
        let second = try GnomonStore.open(home: home.home)
        let id = try first.createRun(newRun())
        for trigger in [RunTrigger.schedule, .catchup] {
            #expect(throws: StoreError.duplicateRun(job: "etl", scheduledAt: at("2024-05-01T12:00:00Z"), existing: id)) {
                _ = try second.createRun(newRun(trigger: trigger))
            }
        }
        // Nothing of the refused runs was kept: no run, no orphan task rows.
        #expect(try second.runs(RunQuery(limit: 10)).map(\.id) == [id])
        // Manual runs may share the time; another job or another time is another run.
        let manual = try second.createRun(newRun(trigger: .manual))
        let other = try second.createRun(newRun(job("report")))
        let later = try second.createRun(newRun(scheduledAt: at("2024-05-01T13:00:00Z")))
        #expect(Set([id, manual, other, later]).count == 4)
        #expect(StoreError.duplicateRun(job: "etl", scheduledAt: at("2024-05-01T12:00:00Z"), existing: 7).description
            == "job etl already has run 7 for its time 2024-05-01T12:00:00Z; a scheduled time runs once "
            + "(see `gnomon show 7`), use a manual run to run it again")
    }

    @Test("a task listed twice in a new run is refused")
    func duplicateTask() throws {
        let store = try GnomonStore.inMemory()
        var new = newRun()
        new.tasks.append(NewTask(name: "load"))
        #expect(throws: StoreError.invalidValue(
            location: "in-memory database", operation: "create a run of job etl", reason: "task load is listed twice")
        ) {
            _ = try store.createRun(new)
        }
        #expect(try store.runs(RunQuery()).isEmpty)
    }

    struct BadBatch: CustomTestStringConvertible, Sendable {
        let name: String
        /// The invalid change, appended after valid ones; `run` is the id of the existing run.
        let change: @Sendable (_ run: Int64) -> StoreChange
        let error: @Sendable (_ run: Int64) -> StoreError
        var testDescription: String { name }
    }

    static let badBatches: [BadBatch] = [
        BadBatch(
            name: "run status of an unknown run",
            change: { .runStatus(run: $0 + 99, status: .running, reason: nil, at: at("2024-05-01T12:00:09Z")) },
            error: { .unknownRun(location: "in-memory database", run: $0 + 99, operation: "record run \($0 + 99) as running") }),
        BadBatch(
            name: "task status of an unknown task",
            change: { .taskStatus(run: $0, task: "nope", status: .ready, reason: nil, retryAt: nil, at: at("2024-05-01T12:00:09Z")) },
            error: { .unknownTask(location: "in-memory database", run: $0, task: "nope", operation: "record run \($0) task nope as ready") }),
        BadBatch(
            name: "attempt of an unknown run (foreign key)",
            change: { attemptStarted($0 + 99, "load", at: at("2024-05-01T12:00:09Z")) },
            error: { .unknownRun(location: "in-memory database", run: $0 + 99,
                                 operation: "record the start of run \($0 + 99) task load attempt 1") }),
        BadBatch(
            name: "attempt of an unknown task (foreign key)",
            change: { attemptStarted($0, "nope", at: at("2024-05-01T12:00:09Z")) },
            error: { .unknownTask(location: "in-memory database", run: $0, task: "nope",
                                  operation: "record the start of run \($0) task nope attempt 1") }),
        BadBatch(
            name: "the same attempt started twice",
            change: { attemptStarted($0, "extract", 1, at: at("2024-05-01T12:00:09Z")) },
            error: { .duplicateAttempt(location: "in-memory database", run: $0, task: "extract", number: 1) }),
        BadBatch(
            name: "attempt number zero (CHECK)",
            change: { attemptStarted($0, "load", 0, at: at("2024-05-01T12:00:09Z")) },
            error: { .invalidValue(location: "in-memory database",
                                   operation: "record the start of run \($0) task load attempt 0",
                                   reason: "CHECK constraint failed: number >= 1") }),
        BadBatch(
            name: "finishing an attempt never started",
            change: { .attemptFinished(run: $0, task: "load", number: 1, outcome: .timedOut, at: at("2024-05-01T12:00:09Z")) },
            error: { .unknownAttempt(location: "in-memory database", run: $0, task: "load", number: 1) }),
    ]

    @Test("a batch with one invalid change leaves nothing behind", arguments: badBatches)
    func invalidBatchRollsBack(_ c: BadBatch) throws {
        let store = try GnomonStore.inMemory()
        let t0 = at("2024-05-01T12:00:00Z")
        let id = try store.createRun(newRun())
        try store.record([attemptStarted(id, "extract", at: t0)])
        let before = try #require(try store.run(id))
        #expect(throws: c.error(id)) {
            try store.record([
                .runStatus(run: id, status: .running, reason: nil, at: t0.addingTimeInterval(1)),
                .taskStatus(run: id, task: "transform", status: .running, reason: nil, retryAt: nil, at: t0.addingTimeInterval(1)),
                attemptStarted(id, "transform", at: t0.addingTimeInterval(1)),
                .attemptFinished(run: id, task: "extract", number: 1, outcome: .exited(code: 0), at: t0.addingTimeInterval(1)),
                c.change(id),
            ])
        }
        #expect(try store.run(id) == before)
    }

    @Test("a cancel request is kept once for an unfinished run and refused for a finished or unknown one")
    func cancelRequests() throws {
        let store = try GnomonStore.inMemory()
        let t0 = at("2024-05-01T12:00:00Z")
        let open = try store.createRun(newRun())
        let done = try store.createRun(newRun(scheduledAt: at("2024-05-01T13:00:00Z")))
        try store.record([.runStatus(run: done, status: .succeeded, reason: nil, at: t0)])

        #expect(try store.cancelRequest(run: open) == nil)
        #expect(try store.requestCancel(run: open, reason: "gnomon kill", at: t0.addingTimeInterval(1)))
        #expect(try store.requestCancel(run: open, reason: "shutdown", at: t0.addingTimeInterval(2)))
        #expect(try store.cancelRequest(run: open) == "gnomon kill")
        #expect(try store.run(open)?.summary.cancelRequestedAt == t0.addingTimeInterval(1))
        #expect(try !store.requestCancel(run: done, reason: "gnomon kill", at: t0))
        #expect(try !store.requestCancel(run: 999, reason: "gnomon kill", at: t0))
        #expect(try store.cancelRequest(run: done) == nil)
    }
}

/// A snapshot encoded ahead of `createRun` is stored only if it is of the run's own job.
@Suite("Snapshots encoded ahead")
struct EncodedSnapshotTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let testDescription: String
        /// The job whose snapshot is handed over with the run.
        let encoded: JobSpec?
    }

    @Test("the stored snapshot is always the run's own job", arguments: [
        Case(testDescription: "none handed over", encoded: nil),
        Case(testDescription: "the run's own job", encoded: job()),
        Case(testDescription: "another job's, ignored", encoded: job("other", tasks: ["x"])),
    ])
    func storedSnapshot(_ c: Case) throws {
        let home = try TemporaryHome()
        let store = try GnomonStore.open(home: home.home)
        var new = newRun()
        new.encodedSnapshot = c.encoded.flatMap { JobSnapshot(encoding: $0) }
        let id = try store.createRun(new)
        #expect(try #require(try store.run(id)).snapshot == job())
    }
}
