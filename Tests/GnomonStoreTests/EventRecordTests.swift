import Foundation
import GnomonCore
import GnomonTesting
import Testing
@testable import GnomonStore

/// The durable event record: what each change appends, in its own transaction, with ids that
/// only grow.
@Suite("The event record")
struct EventRecordTests {
    /// An event without its id and time, as the tables below write it.
    struct Told: Hashable, CustomStringConvertible {
        let type: EventType
        var task: String? = nil
        var attempt: Int? = nil
        var status: String? = nil
        var detail: String? = nil

        init(_ type: EventType, task: String? = nil, attempt: Int? = nil, status: String? = nil, detail: String? = nil) {
            (self.type, self.task, self.attempt, self.status, self.detail) = (type, task, attempt, status, detail)
        }

        init(_ event: StoredEvent) {
            self.init(event.type, task: event.task, attempt: event.attempt, status: event.status, detail: event.detail)
        }

        var description: String {
            [type.rawValue, task, attempt.map(String.init), status, detail].compactMap { $0 }.joined(separator: " ")
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        var status: RunStatus = .queued
        /// Batches recorded after the run is created (each its own transaction).
        let batches: @Sendable (Int64, Date) -> [[StoreChange]]
        let told: [Told]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a run that succeeds: created, started, each attempt, each task's end, finished", batches: { id, t in [
            [.runStatus(run: id, status: .running, reason: nil, at: t),
             .taskStatus(run: id, task: "extract", status: .ready, reason: nil, retryAt: nil, at: t)],
            [.taskStatus(run: id, task: "extract", status: .running, reason: nil, retryAt: nil, at: t), attemptStarted(id, "extract", at: t)],
            [.attemptFinished(run: id, task: "extract", number: 1, outcome: .exited(code: 0), at: t),
             .taskStatus(run: id, task: "extract", status: .succeeded, reason: nil, retryAt: nil, at: t),
             .runStatus(run: id, status: .succeeded, reason: nil, at: t)],
        ] }, told: [
            Told(.runCreated, status: "queued", detail: "schedule"),
            Told(.runStarted, status: "running"),
            Told(.attemptStarted, task: "extract", attempt: 1),
            Told(.attemptEnded, task: "extract", attempt: 1, status: "exited", detail: "exit 0"),
            Told(.taskChanged, task: "extract", status: "succeeded"),
            Told(.runFinished, status: "succeeded"),
        ]),
        Case(name: "a run created running tells its start with its creation", status: .running, batches: { _, _ in [] }, told: [
            Told(.runCreated, status: "running", detail: "schedule"),
            Told(.runStarted, status: "running"),
        ]),
        Case(name: "a retry is told with its time, even when the batch writes over it", batches: { id, t in [
            [attemptStarted(id, "extract", at: t),
             .attemptFinished(run: id, task: "extract", number: 1, outcome: .exited(code: 3), at: t),
             .taskStatus(run: id, task: "extract", status: .retrying, reason: "exit 3", retryAt: at("2024-05-01T12:00:10Z"), at: t),
             .taskStatus(run: id, task: "extract", status: .running, reason: nil, retryAt: nil, at: t),
             attemptStarted(id, "extract", 2, at: t),
             .attemptFinished(run: id, task: "extract", number: 2, outcome: .couldNotStart(reason: "no such folder"), at: t),
             .taskStatus(run: id, task: "extract", status: .failed, reason: "attempt 2 could not start", retryAt: nil, at: t),
             .taskStatus(run: id, task: "transform", status: .skipped, reason: "extract failed", retryAt: nil, at: t),
             .runStatus(run: id, status: .failed, reason: "task extract failed", at: t)],
        ] }, told: [
            Told(.runCreated, status: "queued", detail: "schedule"),
            Told(.attemptStarted, task: "extract", attempt: 1),
            Told(.attemptEnded, task: "extract", attempt: 1, status: "exited", detail: "exit 3"),
            Told(.taskChanged, task: "extract", status: "retrying", detail: "exit 3; next attempt at 2024-05-01T12:00:10Z"),
            Told(.attemptStarted, task: "extract", attempt: 2),
            Told(.attemptEnded, task: "extract", attempt: 2, status: "could_not_start", detail: "could not start: no such folder"),
            Told(.taskChanged, task: "extract", status: "failed", detail: "attempt 2 could not start"),
            Told(.taskChanged, task: "transform", status: "skipped", detail: "extract failed"),
            Told(.runFinished, status: "failed", detail: "task extract failed"),
        ]),
        Case(name: "a batch that fails tells nothing of its changes", batches: { id, t in [
            [.runStatus(run: id, status: .running, reason: nil, at: t),
             .taskStatus(run: id, task: "nope", status: .failed, reason: nil, retryAt: nil, at: t)],
        ] }, told: [
            Told(.runCreated, status: "queued", detail: "schedule"),
        ]),
        Case(name: "a runner taking a run over tells nothing", batches: { id, _ in [
            [.runRunner(run: id, pid: 99, instance: "runner-B")],
        ] }, told: [
            Told(.runCreated, status: "queued", detail: "schedule"),
        ]),
    ]

    @Test("what each change tells, in order", arguments: cases)
    func told(_ c: Case) throws {
        let store = try GnomonStore.inMemory()
        let t = at("2024-05-01T12:00:00Z")
        let id = try store.createRun(newRun(status: c.status))
        for batch in c.batches(id, t) { try? store.record(batch) }
        let events = try store.events(after: 0, limit: 100)
        #expect(events.map(Told.init) == c.told)
        #expect(events.allSatisfy { $0.job == "etl" && $0.runID == id })
        #expect(events.map(\.id) == events.map(\.id).sorted() && Set(events.map(\.id)).count == events.count)
    }

    @Test("fire times are told once; job files when they turn invalid or valid again")
    func ticksAndFiles() throws {
        let store = try GnomonStore.inMemory()
        let t = at("2024-05-01T12:00:00Z")
        let tick = Tick(job: "etl", fireTime: t, decidedAt: t, decision: .paused, detail: "paused by gnomon pause")
        #expect(try store.recordTick(tick))
        #expect(try !store.recordTick(tick), "the same decision for the same fire time is recorded once")
        #expect(try !store.recordJobFile(job: "etl", problem: nil, at: t), "a valid file seen first is no news")
        #expect(try store.recordJobFile(job: "etl", problem: "jobs/etl.yaml:3:5: tasks: expected a mapping", at: t))
        #expect(try !store.recordJobFile(job: "etl", problem: "jobs/etl.yaml:4:1: another problem", at: t))
        #expect(try store.recordJobFile(job: "etl", problem: nil, at: t))
        #expect(try store.recordJobFile(job: "new", problem: "jobs/new.yaml:1:1: the file is empty", at: t))
        #expect(try store.events(after: 0, limit: 100).map(Told.init) == [
            Told(.fireTime, status: "paused", detail: "fire time 2024-05-01T12:00:00Z: paused by gnomon pause"),
            Told(.jobInvalid, status: "invalid", detail: "jobs/etl.yaml:3:5: tasks: expected a mapping"),
            Told(.jobValid, status: "valid"),
            Told(.jobInvalid, status: "invalid", detail: "jobs/new.yaml:1:1: the file is empty"),
        ])
        #expect(try store.events(after: 0, limit: 100, job: "new").count == 1)
    }

    @Test("ids only grow, also after the oldest events are pruned; filters by job and run")
    func idsOnlyGrow() throws {
        let home = try TemporaryHome()
        let store = try GnomonStore.open(home: home.home)
        let t = at("2024-05-01T12:00:00Z")
        _ = try store.createRun(newRun(status: .running))
        let second = try store.createRun(newRun(trigger: .manual, status: .running))
        let last = try store.lastEventID()
        #expect(last == 4)
        #expect(try store.events(after: 2, limit: 10).map(\.id) == [3, 4])
        #expect(try store.events(after: 0, limit: 1).map(\.id) == [1])
        #expect(try store.events(after: 0, limit: 10, run: second).map(\.id) == [3, 4])
        #expect(try store.events(after: 0, limit: 10, job: "other").isEmpty)
        // Pruning deletes the oldest ids and keeps the newest: the next id is still new.
        try store.write("prune the oldest events") { db in try db.execute(sql: "DELETE FROM events WHERE id < 4") }
        let third = try store.createRun(newRun(trigger: .manual, scheduledAt: t, status: .queued))
        #expect(try store.events(after: 0, limit: 10).map(\.id) == [4, 5])
        #expect(try store.events(after: 4, limit: 10).first?.runID == third)
        #expect(try store.lastEventID() == 5)
    }
}
