import Foundation
import GnomonCore
import GnomonStore
import Testing

/// `StoredEvent.jsonLine`, written by hand for the event stream, is exactly what `JSONEncoder`
/// with sorted keys (the CLI's `--json`) writes for the same event.
struct StoredEventJSONTests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let event: StoredEvent
        var description: String { name }
    }

    static let at = Date(timeIntervalSince1970: 1_796_000_000.25)

    static let cases: [Case] = [
        Case(name: "a run's event with every field", event: StoredEvent(
            id: 7, at: at, type: .attemptEnded, job: "etl", runID: 42, task: "load", attempt: 2, status: "exited", detail: "exit 3")),
        Case(name: "a job's event without run, task or attempt", event: StoredEvent(
            id: 1, at: Date(timeIntervalSince1970: 1_796_000_000), type: .jobInvalid, job: "broken", detail: "schedule: minute 61")),
        Case(name: "quotes, backslashes, slashes, tabs and line ends in the text", event: StoredEvent(
            id: 9_000_000_000, at: at, type: .taskChanged, job: "a/b", runID: 1, task: "t\"1\"", status: "failed",
            detail: "path C:\\tmp\\x /var/log\tline 1\nline 2\r")),
        Case(name: "text beyond ASCII", event: StoredEvent(
            id: 3, at: at, type: .runFinished, job: "ναι-日本", runID: 5, status: "succeeded", detail: "✓ done — ok")),
    ]

    static func encoded(_ event: StoredEvent) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISOTime.utc(date))
        }
        return String(decoding: try encoder.encode(event), as: UTF8.self)
    }

    @Test("the hand-written line equals JSONEncoder's", arguments: cases)
    func sameAsJSONEncoder(_ c: Case) throws {
        #expect(c.event.jsonLine == (try Self.encoded(c.event)))
        let decoded = try JSONSerialization.jsonObject(with: Data(c.event.jsonLine.utf8)) as? [String: Any]
        #expect(decoded?["id"] as? Int64 == c.event.id)
    }
}
