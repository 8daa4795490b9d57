import Foundation
import GnomonCore
import Testing
@testable import GnomonStore

@Suite("Creating many runs in one transaction")
struct BulkLoadTests {
    @Test("each run gets its own changes; snapshots and ids read back as with createRun")
    func createsEveryRun() throws {
        let store = try GnomonStore.inMemory()
        let t0 = at("2024-05-01T12:00:00Z")
        let specs = [job("etl"), job("report", tasks: ["fetch", "mail"]), job("etl")]
        let runs = specs.enumerated().map { index, spec in
            newRun(spec, scheduledAt: t0.addingTimeInterval(3_600 * Double(index)), status: .running)
        }
        var seen: [(Int, Int64)] = []
        let ids = try store.createRuns(runs) { index, id in
            seen.append((index, id))
            let first = specs[index].tasks[0].name
            return [
                attemptStarted(id, first, at: t0),
                .attemptFinished(run: id, task: first, number: 1, outcome: .exited(code: 0), at: t0.addingTimeInterval(1)),
                .taskStatus(run: id, task: first, status: .succeeded, reason: nil, retryAt: nil, at: t0.addingTimeInterval(1)),
            ]
        }

        #expect(ids.count == 3)
        #expect(seen.map(\.0) == [0, 1, 2])
        #expect(seen.map(\.1) == ids)
        for (index, id) in ids.enumerated() {
            let detail = try #require(try store.run(id))
            #expect(detail.snapshot == specs[index])
            #expect(detail.summary.job == specs[index].name)
            #expect(detail.attempts.map(\.task) == [specs[index].tasks[0].name])
            #expect(detail.tasks.map(\.name) == specs[index].tasks.map(\.name))
            #expect(detail.tasks[0].status == .succeeded)
        }
    }

    @Test("a change that fails rolls back every run of the call")
    func allOrNothing() throws {
        let store = try GnomonStore.inMemory()
        let runs = [newRun(scheduledAt: at("2024-05-01T12:00:00Z")), newRun(scheduledAt: at("2024-05-01T13:00:00Z"))]
        #expect(throws: StoreError.self) {
            _ = try store.createRuns(runs) { index, id in
                index == 1 ? [attemptStarted(id, "no-such-task", at: at("2024-05-01T13:00:00Z"))] : []
            }
        }
        #expect(try store.runs(RunQuery(limit: 10)).isEmpty)
    }
}
