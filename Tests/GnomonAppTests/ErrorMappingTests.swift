import Foundation
import GnomonApp
import GnomonEngine
import GnomonStore
import Testing

/// The one mapping from the store's and the engine's errors to exit statuses.
@Suite("Errors to exit statuses")
struct ErrorMappingTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let error: any Error & Sendable
        let status: CommandExit
        var testDescription: String { name }
    }

    static let location = "/home/gnomon.db"

    static let cases: [Case] = [
        Case(name: "an unknown run in the store", error: StoreError.unknownRun(location: location, run: 4, operation: "x"), status: .notFound),
        Case(name: "an unknown task in the store", error: StoreError.unknownTask(location: location, run: 4, task: "t", operation: "x"), status: .notFound),
        Case(name: "an unknown trigger request", error: StoreError.unknownTriggerRequest(location: location, id: 2), status: .notFound),
        Case(name: "an unknown run in the engine", error: EngineError.runNotFound(4), status: .notFound),
        Case(name: "an unknown task in the engine", error: EngineError.unknownTasks(job: "j", names: ["x"], known: ["a"]), status: .notFound),
        Case(name: "a run whose stored job is broken", error: EngineError.invalidSnapshot(run: 4, job: "j", problems: ["cycle"]), status: .failure),
        Case(name: "a run that cannot be retried", error: EngineError.runNotRetryable(4, .succeeded), status: .failure),
        Case(name: "a scheduled time that already ran", error: StoreError.duplicateRun(job: "j", scheduledAt: Date(timeIntervalSince1970: 0), existing: 3), status: .failure),
        Case(name: "a locked database", error: StoreError.busy(location: location, operation: "x", reason: "locked"), status: .environment),
        Case(name: "a full disk", error: StoreError.diskFull(location: location, operation: "x"), status: .environment),
        Case(name: "a newer schema", error: StoreError.newerSchema(location: location, unknownMigrations: ["v9"]), status: .environment),
        Case(name: "anything else", error: CocoaError(.fileReadNoPermission), status: .environment),
    ]

    @Test("each error's status, with the lower layer's message", arguments: cases)
    func mapping(_ c: Case) {
        let mapped = AppError(c.error)
        #expect(mapped.status == c.status)
        #expect(mapped.message == "\(c.error)")
    }

    @Test("an AppError passes through unchanged")
    func passThrough() {
        let mapped = AppError(AppError(.timedOut, "waited"))
        #expect(mapped.status == .timedOut && mapped.message == "waited")
    }
}

/// `--json` output that cannot be written is an error, never `null` with exit 0.
@Suite("JSON output")
struct JSONOutputTests {
    struct Row: Encodable {
        let name: String
        let seconds: Double
    }

    @Test("a value JSON cannot hold fails with its key path")
    func notFinite() {
        #expect(throws: AppError.self) { try JSONOutput.string([Row(name: "a", seconds: .nan)], what: "the runs") }
        do {
            _ = try JSONOutput.string([Row(name: "a", seconds: .infinity)], what: "the runs")
        } catch {
            #expect(error.status == .failure)
            #expect(error.message.hasPrefix("could not write the runs as JSON: [0].seconds holds inf"), "\(error.message)")
        }
    }

    @Test("a value that can be written is")
    func written() throws {
        #expect(try JSONOutput.string([Row(name: "a", seconds: 1.5)], what: "rows").contains("\"seconds\" : 1.5"))
    }
}
