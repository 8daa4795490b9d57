import Foundation
import GnomonNotify
import Testing

@Suite struct AlertTests {
    @Test func failureBodyHasEveryFieldOfTheIssue() throws {
        let body = String(decoding: Fixtures.failure.jsonBody(), as: UTF8.self)
        #expect(body == #"""
        {"consecutive_failures":1,"duration_seconds":71.75,"event_id":4711,"failed_tasks":[{"exit_code":3,"log_tail":"loading 12 rows\n.\n.hidden\nERROR: duplicate key","reason":"exit 3","task":"load"}],"finished_at":"2026-12-07T02:31:13Z","job":"nightly-etl","previous_status":"succeeded","run_id":812,"scheduled_at":"2026-12-07T02:30:00Z","schema":"gnomon.alert/1","started_at":"2026-12-07T02:30:01.250Z","status":"failed","text":"nightly-etl failed (run 812): task load exit 3","trigger":"schedule","type":"failure","url":"https://gnomon.example/runs/812"}
        """#)
    }

    @Test func absentFieldsAreNull() throws {
        let object = try #require(JSONSerialization.jsonObject(with: Data(Fixtures.test.jsonBody())) as? [String: Any])
        let nulls = ["run_id", "status", "previous_status", "consecutive_failures", "trigger", "scheduled_at",
                     "started_at", "finished_at", "duration_seconds", "url"]
        for key in nulls {
            #expect(object[key] is NSNull, "\(key) should be null")
        }
        #expect(object.keys.sorted() == (nulls + ["schema", "event_id", "type", "job", "failed_tasks", "text"]).sorted())
        #expect(object["failed_tasks"] as? [Any] != nil)
    }

    @Test func decodesWhatItEncodes() throws {
        for alert in [Fixtures.failure, Fixtures.recovery, Fixtures.test] {
            #expect(try JSONDecoder().decode(Alert.self, from: Data(alert.jsonBody())) == alert)
        }
    }

    struct TailCase: Sendable, CustomTestStringConvertible {
        var name: String
        var log: String
        var expected: String
        var testDescription: String { name }
    }

    static let tails: [TailCase] = [
        TailCase(name: "a short log is kept whole, final newline dropped", log: "a\nb\n", expected: "a\nb"),
        TailCase(name: "an empty log stays empty", log: "", expected: ""),
        TailCase(
            name: "only the last 20 lines are kept",
            log: (1...25).map { "line \($0)" }.joined(separator: "\n") + "\n",
            expected: (6...25).map { "line \($0)" }.joined(separator: "\n")),
        TailCase(
            name: "long lines are cut to the last 4096 bytes",
            log: String(repeating: "x", count: 5000) + "\nend",
            expected: String(repeating: "x", count: 4092) + "\nend"),
        TailCase(
            name: "the byte cut never splits a character",
            log: String(repeating: "é", count: 2049) + "\n",
            expected: String(repeating: "é", count: 2048)),
    ]

    @Test(arguments: tails) func logTailIsBounded(_ tail: TailCase) {
        let kept = Alert.FailedTask(task: "t", exitCode: 1, reason: "exit 1", logTail: tail.log).logTail
        #expect(kept == tail.expected)
        #expect(kept.utf8.count <= Alert.FailedTask.tailBytes)
    }

    struct TextCase: Sendable, CustomTestStringConvertible {
        var name: String
        var type: Alert.Kind
        var runID: Int64?
        var failed: [Alert.FailedTask]
        var expected: String
        var testDescription: String { name }
    }

    static let texts: [TextCase] = [
        TextCase(
            name: "a failure names its failed tasks", type: .failure, runID: 812,
            failed: [.init(task: "load", exitCode: 3, reason: "exit 3", logTail: "")],
            expected: "nightly-etl failed (run 812): task load exit 3"),
        TextCase(
            name: "two failed tasks", type: .timeout, runID: 9,
            failed: [.init(task: "a", exitCode: nil, reason: "timed out after 10m", logTail: ""),
                     .init(task: "b", exitCode: 1, reason: "exit 1", logTail: "")],
            expected: "nightly-etl timed out (run 9): task a timed out after 10m, task b exit 1"),
        TextCase(name: "a recovery", type: .recovery, runID: 813, failed: [], expected: "nightly-etl recovered (run 813)"),
        TextCase(name: "no run for a late job", type: .late, runID: nil, failed: [], expected: "nightly-etl is late"),
    ]

    @Test(arguments: texts) func oneLineText(_ text: TextCase) {
        #expect(Alert.oneLine(type: text.type, job: "nightly-etl", runID: text.runID, failedTasks: text.failed) == text.expected)
    }
}
