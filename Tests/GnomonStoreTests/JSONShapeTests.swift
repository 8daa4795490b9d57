import Foundation
import GnomonCore
import Testing
@testable import GnomonStore

@Suite("JSON shapes printed by --json")
struct JSONShapeTests {
    static func json<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // The store's dates are ISO 8601 whatever the encoder's own date strategy says.
        encoder.dateEncodingStrategy = .secondsSince1970
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func roundTrip<T: Codable & Equatable>(_ value: T) throws -> Bool {
        let data = Data(try json(value).utf8)
        return try JSONDecoder().decode(T.self, from: data) == value
    }

    static let summary = RunSummary(
        id: 42, job: "etl", trigger: .catchup, status: .running, reason: nil,
        scheduledAt: at("2024-05-01T12:00:00Z"), createdAt: at("2024-05-01T12:00:00.250Z"),
        startedAt: at("2024-05-01T12:00:01Z"), finishedAt: nil, taskCounts: [.running: 1, .waiting: 2],
        runnerPID: 4242, runnerInstance: "5F0C", cancelRequestedAt: nil, cancelReason: nil)

    @Test("a run summary: snake_case keys, ISO 8601 dates, nulls kept")
    func summaryShape() throws {
        #expect(try Self.json(Self.summary) == """
            {"cancel_reason":null,"cancel_requested_at":null,"created_at":"2024-05-01T12:00:00.250Z",\
            "finished_at":null,"id":42,"job":"etl","reason":null,"runner_instance":"5F0C","runner_pid":4242,\
            "scheduled_at":"2024-05-01T12:00:00Z","started_at":"2024-05-01T12:00:01Z","status":"running",\
            "task_counts":{"running":1,"waiting":2},"trigger":"catchup"}
            """)
        #expect(try Self.roundTrip(Self.summary))
    }

    struct AttemptCase: CustomTestStringConvertible, Sendable {
        let name: String
        let outcome: AttemptOutcome?
        /// The JSON text of `outcome`, `exit_code`, `signal` and `reason`.
        let kind: String, exitCode: String, signal: String, reason: String
        /// The attempt's outputs and their JSON text.
        var outputs: [String: String]? = nil, outputsJSON = "null"
        var testDescription: String { name }
    }

    @Test(arguments: [
        AttemptCase(name: "running", outcome: nil, kind: "null", exitCode: "null", signal: "null", reason: "null"),
        AttemptCase(name: "exited", outcome: .exited(code: 3),
                    kind: #""exited""#, exitCode: "3", signal: "null", reason: "null"),
        AttemptCase(name: "signalled", outcome: .signalled(signal: 9),
                    kind: #""signalled""#, exitCode: "null", signal: "9", reason: "null"),
        AttemptCase(name: "could not start", outcome: .couldNotStart(reason: "no such file"),
                    kind: #""could_not_start""#, exitCode: "null", signal: "null", reason: #""no such file""#),
        AttemptCase(name: "timed out", outcome: .timedOut,
                    kind: #""timed_out""#, exitCode: "null", signal: "null", reason: "null"),
        AttemptCase(name: "succeeded with outputs", outcome: .exited(code: 0),
                    kind: #""exited""#, exitCode: "0", signal: "null", reason: "null",
                    outputs: ["day": "2024-05-01", "notes": "a\nb"], outputsJSON: #"{"day":"2024-05-01","notes":"a\nb"}"#),
        AttemptCase(name: "outputs refused", outcome: .outputRefused(reason: "line 2 of the output file: x"),
                    kind: #""output_refused""#, exitCode: "null", signal: "null", reason: #""line 2 of the output file: x""#),
    ])
    func attemptShape(_ c: AttemptCase) throws {
        let attempt = AttemptRecord(
            number: 2, task: "load", startedAt: at("2024-05-01T12:00:01Z"),
            endedAt: c.outcome == nil ? nil : at("2024-05-01T12:00:02Z"), pid: 300, pgid: 300,
            containerName: nil, logPath: "/logs/42/load.2.log", outcome: c.outcome, runnerInstance: "5F0C",
            outputs: c.outputs)
        let ended = c.outcome == nil ? "null" : #""2024-05-01T12:00:02Z""#
        #expect(try Self.json(attempt) == """
            {"container_name":null,"ended_at":\(ended),"exit_code":\(c.exitCode),"log_path":"/logs/42/load.2.log",\
            "number":2,"outcome":\(c.kind),"outputs":\(c.outputsJSON),"pgid":300,"pid":300,"reason":\(c.reason),"runner_instance":"5F0C",\
            "signal":\(c.signal),"slurm":null,"started_at":"2024-05-01T12:00:01Z","task":"load"}
            """)
        #expect(try Self.roundTrip(attempt))
    }

    @Test("a Slurm attempt: its job's id, node and state under slurm")
    func slurmShape() throws {
        var attempt = AttemptRecord(
            number: 1, task: "train", startedAt: at("2024-05-01T12:00:01Z"), endedAt: nil, pid: nil, pgid: nil,
            containerName: nil, logPath: "/logs/42/train.1.log", outcome: nil, runnerInstance: "5F0C",
            slurm: SlurmJobRecord(id: "117", node: "node7", state: "RUNNING on node7"))
        #expect(try Self.json(attempt) == """
            {"container_name":null,"ended_at":null,"exit_code":null,"log_path":"/logs/42/train.1.log",\
            "number":1,"outcome":null,"outputs":null,"pgid":null,"pid":null,"reason":null,"runner_instance":"5F0C",\
            "signal":null,"slurm":{"job_id":"117","node":"node7","state":"RUNNING on node7"},\
            "started_at":"2024-05-01T12:00:01Z","task":"train"}
            """)
        #expect(try Self.roundTrip(attempt))
        attempt.slurm = SlurmJobRecord(id: nil)
        #expect(try Self.json(attempt).contains(#""slurm":{"job_id":null,"node":null,"state":null}"#))
        #expect(try Self.roundTrip(attempt))
    }

    @Test("a run in full: summary keys at the top level beside params, snapshot, tasks and attempts")
    func detailShape() throws {
        let detail = RunDetail(
            summary: Self.summary, params: ["date": "2024-05-01"], snapshot: job(),
            tasks: [TaskRecord(name: "extract", status: .retrying, reason: "exit 3",
                               retryAt: at("2024-05-01T12:00:30Z"), attempts: 1, updatedAt: at("2024-05-01T12:00:02Z"))],
            attempts: [])
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(try Self.json(detail).utf8)) as? [String: Any])
        #expect(object.keys.sorted() == [
            "attempts", "cancel_reason", "cancel_requested_at", "created_at", "finished_at", "id", "job", "params",
            "reason", "runner_instance", "runner_pid", "scheduled_at", "snapshot", "started_at", "status",
            "task_counts", "tasks", "trigger",
        ])
        #expect(try Self.json(detail.tasks) == """
            [{"attempts":1,"name":"extract","reason":"exit 3","retry_at":"2024-05-01T12:00:30Z","status":"retrying",\
            "updated_at":"2024-05-01T12:00:02Z"}]
            """)
        #expect(try Self.roundTrip(detail))
    }

    @Test("ticks and trigger requests")
    func daemonShapes() throws {
        let tick = Tick(id: 7, job: "etl", fireTime: at("2024-05-01T12:00:00Z"), decidedAt: at("2024-05-01T12:00:00.004Z"),
                        decision: .skippedOverlap, runID: nil, detail: "run 41 still running")
        #expect(try Self.json(tick) == """
            {"decided_at":"2024-05-01T12:00:00.004Z","decision":"skipped_overlap","detail":"run 41 still running",\
            "fire_time":"2024-05-01T12:00:00Z","id":7,"job":"etl","run_id":null}
            """)
        let request = TriggerRequest(id: 3, job: "etl", params: ["a": "1"], requestedAt: at("2024-05-01T12:00:00Z"),
                                     claimedAt: at("2024-05-01T12:00:01Z"), runID: 42, tasks: ["load"])
        #expect(try Self.json(request) == """
            {"claimed_at":"2024-05-01T12:00:01Z","id":3,"job":"etl","params":{"a":"1"},"reason":null,\
            "requested_at":"2024-05-01T12:00:00Z","run_id":42,"tasks":["load"]}
            """)
        #expect(try Self.roundTrip(tick))
        #expect(try Self.roundTrip(request))
    }
}
