import Foundation
import GnomonCore
@testable import GnomonStore
import GnomonTesting
import Testing

/// The `backfills` table (`v7-backfill`): a backfill found again by the command that continues
/// it, and never two runs of one backfill for one fire time.
@Suite("Backfills in the store")
struct BackfillStoreTests {
    static let times = [at("2026-11-01T02:00:00Z"), at("2026-11-02T02:00:00Z")]

    struct Lookup: CustomTestStringConvertible, Sendable {
        let name: String
        var from = "2026-11-01"
        var tasks: [String] = ["load", "extract"]
        var maxActive = 3
        var rerun = false
        let found: Bool
        var testDescription: String { name }
    }

    static let lookups: [Lookup] = [
        Lookup(name: "the same command finds it", found: true),
        Lookup(name: "tasks in another order and another --max-active find it", tasks: ["extract", "load"], maxActive: 1, found: true),
        Lookup(name: "other tasks do not", tasks: ["load"], found: false),
        Lookup(name: "--rerun-succeeded does not", rerun: true, found: false),
        Lookup(name: "another range does not", from: "2026-11-02", found: false),
    ]

    @Test("an unfinished backfill is found by the command that continues it", arguments: lookups)
    func lookup(_ c: Lookup) throws {
        let store = try GnomonStore.inMemory()
        let made = try store.createBackfill(
            job: "etl", from: "2026-11-01", to: "2026-11-30",
            options: BackfillOptions(tasks: ["extract", "load"], maxActive: 2, rerunSucceeded: false),
            times: Self.times, at: at("2026-12-01T00:00:00Z"))
        let found = try store.unfinishedBackfill(
            job: "etl", from: c.from, to: "2026-11-30",
            options: BackfillOptions(tasks: c.tasks, maxActive: c.maxActive, rerunSucceeded: c.rerun))
        #expect((found != nil) == c.found)
        if c.found { #expect(found?.id == made.id && found?.times == Self.times && found?.state == .running) }
    }

    @Test("one run per backfill and fire time; a finished backfill is not continued")
    func onceEach() throws {
        let store = try GnomonStore.inMemory()
        let options = BackfillOptions(tasks: [], maxActive: 1, rerunSucceeded: false)
        let backfill = try store.createBackfill(job: "etl", from: "2026-11-01", to: "2026-11-02", options: options,
                                                times: Self.times, at: at("2026-12-01T00:00:00Z"))
        var run = newRun(trigger: .backfill, scheduledAt: Self.times[0])
        run.backfillID = backfill.id
        let first = try store.createRun(run)
        #expect(throws: StoreError.duplicateRun(job: "etl", scheduledAt: Self.times[0], existing: first)) {
            try store.createRun(run)
        }
        // A manual run and another backfill may share the time.
        _ = try store.createRun(newRun(trigger: .manual, scheduledAt: Self.times[0]))
        let other = try store.createBackfill(job: "etl", from: "2026-11-01", to: "2026-11-02", options: options,
                                             times: Self.times, at: at("2026-12-01T00:00:00Z"))
        run.backfillID = other.id
        _ = try store.createRun(run)
        #expect(try store.backfillRuns(backfill.id).map(\.id) == [first])

        try store.finishBackfill(backfill.id, state: .succeeded, at: at("2026-12-01T01:00:00Z"))
        #expect(try store.unfinishedBackfill(job: "etl", from: "2026-11-01", to: "2026-11-02", options: options)?.id == other.id)
        // What the daemon polls, and what a follower reads.
        #expect(try store.unfinishedBackfills().map(\.id) == [other.id])
        #expect(try store.unfinishedBackfills().map(\.job) == ["etl"])
        #expect(try store.backfill(backfill.id)?.state == .succeeded)
        #expect(try store.backfill(other.id) == other)
        #expect(try store.backfill(999) == nil)
    }
}
