import Foundation
import GnomonTesting
import Testing
@testable import GnomonStore

@Suite("Pauses, ticks and trigger requests")
struct DaemonTablesTests {
    @Test("pause overrides are set, changed and cleared per job")
    func pauses() throws {
        let store = try GnomonStore.inMemory()
        #expect(try store.pausedOverrides().isEmpty)
        try store.setPaused(job: "etl", paused: true, at: at("2024-05-01T12:00:00Z"))
        try store.setPaused(job: "report", paused: true, at: at("2024-05-01T12:00:00Z"))
        try store.setPaused(job: "report", paused: false, at: at("2024-05-01T12:01:00Z"))
        #expect(try store.pausedOverrides() == ["etl": true, "report": false])
        try store.clearPaused(job: "etl")
        #expect(try store.pausedOverrides() == ["report": false])
    }

    @Test("ticks read back latest first; the same decision for a time is recorded once")
    func ticks() throws {
        let store = try GnomonStore.inMemory()
        let run = try store.createRun(newRun(scheduledAt: at("2024-05-01T13:00:00Z")))
        let queued = Tick(job: "etl", fireTime: at("2024-05-01T12:00:00Z"), decidedAt: at("2024-05-01T12:00:00.002Z"),
                          decision: .skippedOverlap, detail: "run 1 still running")
        let started = Tick(job: "etl", fireTime: at("2024-05-01T13:00:00Z"), decidedAt: at("2024-05-01T13:00:00Z"),
                           decision: .started, runID: run)
        #expect(try store.recordTick(queued))
        #expect(try store.recordTick(started))
        #expect(try !store.recordTick(started))
        #expect(try store.recordTick(Tick(job: "report", fireTime: at("2024-05-01T14:00:00Z"),
                                          decidedAt: at("2024-05-01T14:00:00Z"), decision: .paused)))
        let read = try store.ticks(job: "etl", limit: 10)
        #expect(read.map { Tick(job: $0.job, fireTime: $0.fireTime, decidedAt: $0.decidedAt, decision: $0.decision,
                                runID: $0.runID, detail: $0.detail) } == [started, queued])
        #expect(read.allSatisfy { $0.id != nil })
        #expect(try store.ticks(job: "etl", limit: 1).map(\.decision) == [.started])
        #expect(try store.lastFireTimes() == ["etl": at("2024-05-01T13:00:00Z"), "report": at("2024-05-01T14:00:00Z")])
    }

    @Test("a tick naming an unknown run is refused")
    func tickForeignKey() throws {
        let store = try GnomonStore.inMemory()
        #expect(throws: StoreError.self) {
            try store.recordTick(Tick(job: "etl", fireTime: at("2024-05-01T12:00:00Z"),
                                      decidedAt: at("2024-05-01T12:00:00Z"), decision: .started, runID: 77))
        }
        #expect(try store.ticks(job: "etl", limit: 10).isEmpty)
    }

    @Test("a trigger request is added, claimed once, then given a run or a refusal")
    func triggerRequests() throws {
        let home = try TemporaryHome()
        let cli = try GnomonStore.open(home: home.home)
        let daemon = try GnomonStore.open(home: home.home)
        let first = try cli.addTriggerRequest(job: "etl", params: ["date": "2024-05-01"], at: at("2024-05-01T12:00:00Z"))
        let second = try cli.addTriggerRequest(job: "nope", params: [:], at: at("2024-05-01T12:00:01Z"))
        #expect(try cli.triggerRequest(first) == TriggerRequest(
            id: first, job: "etl", params: ["date": "2024-05-01"], requestedAt: at("2024-05-01T12:00:00Z")))

        // Attaching before claiming is a bug in the caller.
        #expect(throws: StoreError.invalidValue(
            location: home.database, operation: "update trigger request \(first)",
            reason: "the request has not been claimed; call claimTriggerRequests first")
        ) {
            try daemon.attachRun(toTrigger: first, run: 1)
        }
        let claimed = try daemon.claimTriggerRequests(at: at("2024-05-01T12:00:02Z"))
        #expect(claimed.map(\.id) == [first, second])
        #expect(claimed.allSatisfy { $0.claimedAt == at("2024-05-01T12:00:02Z") })
        #expect(try daemon.claimTriggerRequests(at: at("2024-05-01T12:00:03Z")).isEmpty)

        let run = try daemon.createRun(newRun(trigger: .manual, createdAt: at("2024-05-01T12:00:02Z"),
                                              params: ["date": "2024-05-01"]))
        try daemon.attachRun(toTrigger: first, run: run)
        try daemon.rejectTrigger(second, reason: "no job named nope")
        #expect(try cli.triggerRequest(first)?.runID == run)
        #expect(try cli.triggerRequest(second)?.reason == "no job named nope")
        #expect(try cli.triggerRequest(999) == nil)
        #expect(throws: StoreError.unknownTriggerRequest(location: home.database, id: 999)) {
            try daemon.attachRun(toTrigger: 999, run: run)
        }
    }
}
