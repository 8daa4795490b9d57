import Foundation
import GnomonCore
import GRDB
import Testing
@testable import GnomonStore

@Suite("Querying runs")
struct QueryTests {
    /// Six runs of two jobs, an hour apart from 10:00, in these statuses.
    static let history: [(job: String, status: RunStatus)] = [
        ("etl", .succeeded), ("report", .failed), ("etl", .failed),
        ("etl", .cancelled), ("report", .running), ("etl", .queued),
    ]

    /// A store holding `history`, returning the run ids in creation order.
    static func seeded() throws -> (GnomonStore, [Int64]) {
        let store = try GnomonStore.inMemory()
        var ids: [Int64] = []
        for (index, entry) in history.enumerated() {
            let time = at("2024-05-01T10:00:00Z").addingTimeInterval(Double(index) * 3_600)
            let id = try store.createRun(newRun(job(entry.job), scheduledAt: time))
            if entry.status != .queued {
                try store.record([.runStatus(run: id, status: entry.status, reason: nil, at: time)])
            }
            ids.append(id)
        }
        return (store, ids)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let query: RunQuery
        /// Indexes into `history` of the runs expected, newest first.
        let expected: [Int]
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "everything, newest first", query: RunQuery(limit: 100), expected: [5, 4, 3, 2, 1, 0]),
        Case(name: "limit", query: RunQuery(limit: 2), expected: [5, 4]),
        Case(name: "limit zero", query: RunQuery(limit: 0), expected: []),
        Case(name: "one job", query: RunQuery(job: "etl"), expected: [5, 3, 2, 0]),
        Case(name: "unknown job", query: RunQuery(job: "nope"), expected: []),
        Case(name: "one status", query: RunQuery(statuses: [.failed]), expected: [2, 1]),
        Case(name: "finished statuses of one job",
             query: RunQuery(job: "etl", statuses: [.succeeded, .failed, .cancelled]), expected: [3, 2, 0]),
        Case(name: "no status at all", query: RunQuery(statuses: []), expected: []),
        Case(name: "since a run's creation time includes it",
             query: RunQuery(since: at("2024-05-01T13:00:00Z")), expected: [5, 4, 3]),
        Case(name: "since a millisecond later excludes it",
             query: RunQuery(since: at("2024-05-01T13:00:00.001Z")), expected: [5, 4]),
        Case(name: "since, status and limit together",
             query: RunQuery(job: "etl", statuses: [.failed, .cancelled, .queued], since: at("2024-05-01T11:00:00Z"), limit: 2),
             expected: [5, 3]),
    ])
    func runs(_ c: Case) throws {
        let (store, ids) = try Self.seeded()
        #expect(try store.runs(c.query).map(\.id) == c.expected.map { ids[$0] })
    }

    @Test("pages with beforeID")
    func paging() throws {
        let (store, ids) = try Self.seeded()
        let first = try store.runs(RunQuery(limit: 4))
        let second = try store.runs(RunQuery(beforeID: first.last?.id, limit: 4))
        #expect((first + second).map(\.id) == ids.reversed())
    }

    @Test("listed runs carry their task counts")
    func taskCounts() throws {
        let (store, ids) = try Self.seeded()
        try store.record([
            .taskStatus(run: ids[5], task: "extract", status: .running, reason: nil, retryAt: nil, at: at("2024-05-01T15:00:01Z")),
        ])
        let listed = try store.runs(RunQuery(job: "etl", limit: 1))
        #expect(listed.first?.taskCounts == [.running: 1, .waiting: 2])
    }

    @Test("the last run of each job, and none for a job never run")
    func lastRuns() throws {
        let (store, ids) = try Self.seeded()
        let last = try store.lastRuns(jobs: ["etl", "report", "never"])
        #expect(last.mapValues(\.id) == ["etl": ids[5], "report": ids[4]])
        #expect(last["report"]?.status == .running)
        #expect(last["etl"]?.taskCounts == [.waiting: 3])
        #expect(try store.lastRuns(jobs: []).isEmpty)
    }

    @Test("unfinished runs are the queued and running ones, oldest first, in full")
    func unfinishedRuns() throws {
        let (store, ids) = try Self.seeded()
        try store.record([attemptStarted(ids[4], "extract", at: at("2024-05-01T14:00:01Z"))])
        let unfinished = try store.unfinishedRuns()
        #expect(unfinished.map(\.id) == [ids[4], ids[5]])
        #expect(unfinished.map(\.summary.status) == [.running, .queued])
        #expect(unfinished[0].tasks.map(\.name) == ["extract", "transform", "load"])
        #expect(unfinished[0].attempts.map(\.task) == ["extract"])
        #expect(unfinished[0].attempts.first?.outcome == nil)
        #expect(unfinished[1].attempts.isEmpty)
        #expect(unfinished[1].snapshot == job("etl"))
    }

    @Test("each run's own snapshot is read with it; a run whose snapshot is missing is refused, naming the run")
    func snapshots() throws {
        let (store, ids) = try Self.seeded()
        #expect(try store.run(ids[0])?.snapshot == job("etl"))
        #expect(try store.run(ids[1])?.snapshot == job("report"))
        try store.write("lose a snapshot") { db in try db.execute(sql: "DELETE FROM run_snapshots WHERE run_id = ?", arguments: [ids[1]]) }
        #expect(try store.run(ids[1], snapshot: false)?.summary.job == "report", "a run read without its snapshot still reads")
        #expect(throws: StoreError.corrupt(location: "in-memory database", reason: "run \(ids[1]) has no job snapshot in table run_snapshots")) {
            try store.run(ids[1])
        }
        #expect(try store.run(ids[0])?.snapshot == job("etl"), "the other runs keep theirs")
    }
}
