import Foundation
import GnomonCore
@testable import GnomonStore
import Testing

/// The snapshot writer: the same JSON as JSONEncoder, read back by JSONDecoder to an equal job.
@Suite("JSON text of job snapshots")
struct JSONTextTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let job: JobSpec
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "the store fixtures' job (schedule, timeouts, env)", job: job()),
        Case(name: "every task field and action", job: JobSpec(
            name: "everything", description: "quotes \" backslash \\ newline \n tab \t bell \u{7} é ✓",
            schedule: ScheduleSpec(expression: "*/5 * * * *", timeZone: "America/New_York", jitter: .milliseconds(1500)),
            overlap: .queue, catchup: .all, paused: true, timeout: .seconds(7_200), concurrency: 3,
            tasks: [
                TaskSpec(name: "shell", action: .shell("echo \"$HOME\" | tr a-z A-Z > /tmp/x")),
                TaskSpec(
                    name: "command", action: .command(["/usr/bin/env", "A=1", "printf", "%s\\n"]), dependsOn: ["shell"],
                    after: ["shell"],
                    retry: RetryPolicy(limit: 4, delay: .milliseconds(250), backoff: 1.5, maxDelay: .seconds(90), jitter: 0, onExitCodes: [1, 75, -3]),
                    timeout: .nanoseconds(1), env: ["Z": "last", "A": "first", "UNICODE": "日本"], workdir: "sub/dir"),
                TaskSpec(name: "box", action: .container(ContainerSpec(
                    image: "localhost/gnomon-test:latest", command: ["sh", "-c", "exit 3"], env: ["K": "V"],
                    mounts: ["/data:/data:ro"], workdir: "/work", user: "1000:1000", cpus: 0.5, memory: "16m",
                    network: "host", pull: .never))),
            ],
            directory: "/srv/jobs with spaces")),
        Case(name: "alerting rules and intervals", job: JobSpec(
            name: "alerts", tasks: [TaskSpec(name: "a", action: .shell("exit 1"))], directory: "/jobs",
            notify: [
                NotifyRule(to: ["chat", "pager"], on: [.failure, .recovery, .late], afterConsecutiveFailures: 3,
                           repeat: .every(.seconds(14_400))),
                NotifyRule(to: ["mail"], on: [.retry], repeat: .everyFailure),
                NotifyRule(to: ["mail"], on: [.invalid]),
            ],
            lateAfter: .seconds(600), expectSuccessEvery: .seconds(93_600))),
        Case(name: "no alerts at all", job: JobSpec(name: "quiet", tasks: [], directory: "/jobs", notify: [])),
        Case(name: "a thousand tasks", job: JobSpec(
            name: "wide", tasks: (0..<1000).map { TaskSpec(name: "t\($0)", action: .command(["/bin/true"])) },
            directory: "/jobs")),
    ]

    @Test("decodes to an equal job and equals JSONEncoder's JSON", arguments: cases)
    func sameAsJSONEncoder(_ testCase: Case) throws {
        let text = try JSONText.encode(testCase.job)
        let decoded = try JSONDecoder().decode(JobSpec.self, from: Data(text.utf8))
        #expect(decoded == testCase.job)

        let reference = try JSONEncoder().encode(testCase.job)
        let ours = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? NSDictionary
        let theirs = try JSONSerialization.jsonObject(with: reference) as? NSDictionary
        #expect(ours != nil && ours == theirs)
    }

    @Test("object keys are sorted by code point, and the text is the same every time")
    func sortedAndStable() throws {
        let text = try JSONText.encode(["b": 1, "a": 2, "B": 3, "é": 4])
        #expect(text == #"{"B":3,"a":2,"b":1,"é":4}"#)
        #expect(try JSONText.encode(Self.cases[1].job) == JSONText.encode(Self.cases[1].job))
    }

    /// Each sequence of keys is sorted once per document and its order reused for every object
    /// with the same keys: objects of one type, of two types, and a key encoded twice.
    struct Pair: Encodable {
        let zeta: Int
        let alpha: String
    }

    struct Repeated: Encodable {
        let value: Int
        enum CodingKeys: String, CodingKey { case value }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(value, forKey: .value)
            try container.encode(value + 1, forKey: .value)
        }
    }

    struct Document: Encodable {
        let pairs: [Pair]
        let other: [String: Int]
        let repeated: [Repeated]
    }

    @Test("objects with the same keys are all written sorted, and a key encoded twice keeps its later value")
    func reusedOrders() throws {
        let document = Document(
            pairs: [Pair(zeta: 1, alpha: "a\"q\\\n"), Pair(zeta: 2, alpha: "é")],
            other: ["zeta": 3, "alpha": 4, "mid": 5], repeated: [Repeated(value: 1), Repeated(value: 5)])
        let text = try JSONText.encode(document)
        #expect(text == #"{"other":{"alpha":4,"mid":5,"zeta":3},"pairs":[{"alpha":"a\"q\\\n","zeta":1},{"alpha":"é","zeta":2}],"repeated":[{"value":2},{"value":6}]}"#)
    }

    @Test("the order of a sequence of keys", arguments: [
        (["b", "a", "c"], [1, 0, 2]),
        (["a", "b"], [0, 1]),
        ([], []),
        (["x", "a", "x"], [1, 2]),
        (["é", "z", "Z"], [2, 1, 0]),
    ])
    func keyOrder(_ keys: [String], _ order: [Int]) {
        #expect(JSONText.order(of: keys) == order)
    }

    @Test("numbers and strings are written as JSON", arguments: [
        (1.5, "1.5"), (2.0, "2"), (-0.25, "-0.25"), (1e20, "1e+20"), (0.1, "0.1"),
    ])
    func numbers(_ value: Double, _ text: String) throws {
        #expect(try JSONText.encode([value]) == "[\(text)]")
    }

    @Test("a number JSON cannot hold is an error, not a broken document")
    func nonFinite() {
        #expect(throws: JSONText.Failure.self) { try JSONText.encode([Double.nan]) }
        #expect(throws: JSONText.Failure.self) { try JSONText.encode(["x": Double.infinity]) }
    }
}
