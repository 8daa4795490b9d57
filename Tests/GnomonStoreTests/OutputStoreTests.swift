import Foundation
import GnomonCore
import GnomonTesting
import Testing
@testable import GnomonStore

/// What attempts publish (`GNOMON_OUTPUT`), in a real SQLite file: stored in the transaction of the
/// attempt's success, refused by the database on any other attempt, read back per task.
@Suite("Attempt outputs in the store")
struct OutputStoreTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let outcome: AttemptOutcome
        /// Whether the database takes outputs on an attempt that ended so.
        let accepted: Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a success publishes its outputs", outcome: .exited(code: 0), accepted: true),
        Case(name: "a non-zero exit publishes nothing", outcome: .exited(code: 1), accepted: false),
        Case(name: "refused outputs are not stored", outcome: .outputRefused(reason: "line 1 of the output file: x"), accepted: false),
        Case(name: "a timeout publishes nothing", outcome: .timedOut, accepted: false),
    ]

    @Test("outputs ride in the batch of the attempt's end, and only a success may have them", arguments: cases)
    func onlySuccess(_ item: Case) throws {
        let home = try TemporaryHome()
        let store = try GnomonStore.open(home: home.home)
        let t0 = at("2026-11-01T00:00:00Z")
        let id = try store.createRun(newRun())
        try store.record([attemptStarted(id, "extract", at: t0)])
        let batch: [StoreChange] = [
            .attemptFinished(run: id, task: "extract", number: 1, outcome: item.outcome, at: t0.addingTimeInterval(1)),
            .attemptOutputs(run: id, task: "extract", number: 1, outputs: ["day": "2026-11-01", "notes": "a\nb"]),
            .taskStatus(run: id, task: "extract", status: item.outcome.succeeded ? .succeeded : .failed, reason: nil,
                        retryAt: nil, at: t0.addingTimeInterval(1)),
        ]
        if item.accepted {
            try store.record(batch)
        } else {
            #expect(throws: StoreError.self) { try store.record(batch) }
        }
        let attempt = try #require(try store.run(id)?.attempts.first)
        // One transaction: a refused batch leaves the attempt running, its end unrecorded too.
        #expect(attempt.outcome == (item.accepted ? item.outcome : nil))
        #expect(attempt.outputs == (item.accepted ? ["day": "2026-11-01", "notes": "a\nb"] : nil))
        #expect(try store.publishedOutputs(run: id) == (item.accepted ? ["extract": ["day": "2026-11-01", "notes": "a\nb"]] : [:]))
    }

    @Test("each task's latest successful attempt counts; a success without outputs has none")
    func published() throws {
        let store = try GnomonStore.inMemory()
        let t0 = at("2026-11-01T00:00:00Z")
        let id = try store.createRun(newRun())
        try store.record([
            attemptStarted(id, "extract", 1, at: t0),
            .attemptFinished(run: id, task: "extract", number: 1, outcome: .exited(code: 0), at: t0),
            .attemptOutputs(run: id, task: "extract", number: 1, outputs: ["day": "old"]),
            attemptStarted(id, "extract", 2, at: t0),
            .attemptFinished(run: id, task: "extract", number: 2, outcome: .exited(code: 0), at: t0),
            .attemptOutputs(run: id, task: "extract", number: 2, outputs: ["day": "new"]),
            attemptStarted(id, "load", 1, at: t0),
            .attemptFinished(run: id, task: "load", number: 1, outcome: .exited(code: 0), at: t0),
        ])
        #expect(try store.publishedOutputs(run: id) == ["extract": ["day": "new"], "load": [:]])
        #expect(try store.run(id)?.attempts(of: "load").map(\.outputs) == [[:]])
    }
}
