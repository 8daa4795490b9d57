import Foundation
import GnomonCore
import Testing

/// A run keeps a snapshot of its job as JSON: snapshots written before the alerting keys existed
/// still decode, and the keys round-trip.
@Suite("Job snapshots")
struct JobSpecCodingTests {
    struct Old: CustomTestStringConvertible, Sendable {
        let name: String
        let json: String
        let expected: JobSpec
        var testDescription: String { name }
    }

    /// Written as the snapshots of earlier versions are: no notify, lateAfter or
    /// expectSuccessEvery key.
    static let old: [Old] = [
        Old(name: "a minimal job",
            json: #"{"catchup":"latest","directory":"/jobs","name":"etl","overlap":"skip","paused":false,"tasks":[{"action":{"shell":{"_0":"echo hi"}},"after":[],"dependsOn":[],"env":{},"name":"a","retry":{"backoff":2,"delay":[0,10000000000000000000],"jitter":0.1,"limit":0,"maxDelay":[195,2884905626637434880]}}]}"#,
            expected: JobSpec(name: "etl", tasks: [TaskSpec(name: "a", action: .shell("echo hi"))], directory: "/jobs")),
        Old(name: "a scheduled job with a timeout",
            json: #"{"catchup":"all","directory":"/srv","name":"nightly","overlap":"queue","paused":true,"schedule":{"expression":"@daily","timeZone":"UTC"},"tasks":[],"timeout":[390,5769811253274869760]}"#,
            expected: JobSpec(name: "nightly", schedule: ScheduleSpec(expression: "@daily"), overlap: .queue, catchup: .all,
                              paused: true, timeout: .seconds(7200), tasks: [], directory: "/srv")),
    ]

    @Test("an old snapshot decodes, with no alerting keys", arguments: old)
    func oldSnapshot(_ c: Old) throws {
        let decoded = try JSONDecoder().decode(JobSpec.self, from: Data(c.json.utf8))
        #expect(decoded == c.expected)
        #expect(decoded.notify == nil && decoded.lateAfter == nil && decoded.expectSuccessEvery == nil)
    }

    @Test("a job without alerting keys encodes none of them")
    func noNewKeys() throws {
        let json = try JSONEncoder().encode(JobSpec(name: "a", tasks: [], directory: "/"))
        let object = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(Set(object.keys) == ["catchup", "directory", "name", "overlap", "paused", "tasks"])
    }

    @Test("the alerting keys round-trip, and equal rules encode to the same text")
    func roundTrip() throws {
        let job = JobSpec(
            name: "a", tasks: [], directory: "/",
            notify: [
                NotifyRule(to: ["chat", "pager"], on: [.failure, .recovery, .timeout, .late], afterConsecutiveFailures: 3,
                           repeat: .every(.seconds(14_400))),
                NotifyRule(to: ["mail"], on: [.retry], repeat: .everyFailure),
                NotifyRule(to: ["mail"], on: [.invalid]),
            ],
            lateAfter: .seconds(600), expectSuccessEvery: .milliseconds(93_600_500))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let text = try encoder.encode(job)
        #expect(try JSONDecoder().decode(JobSpec.self, from: text) == job)
        let rule = NotifyRule(to: ["x"], on: Set(NotifyCondition.allCases.reversed()))
        let json = String(decoding: try encoder.encode(rule), as: UTF8.self)
        #expect(json == #"{"afterConsecutiveFailures":1,"on":["failure","success","recovery","retry","timeout","skipped","missed","late","invalid","disk_low","disk_ok"],"repeat":"never","to":["x"]}"#)
    }

    @Test("settings round-trip, and settings coded with fewer keys decode with the defaults")
    func settings() throws {
        let settings = GnomonSettings(
            channels: [
                "hook": .webhook(WebhookChannel(url: "https://x.example", secret: .file("/k"), headers: ["A": "b"])),
                "mail": .email(EmailChannel(host: "h", user: .environment("U"), password: .file("/p"), from: "a@b", to: ["c@d"])),
                "pd": .pagerduty(PagerDutyChannel(routingKey: .environment("PD"))),
                "cmd": .command(CommandChannel(argv: ["/bin/true"])),
            ],
            notify: [NotifyRule(to: ["hook"], on: [.failure])], lateAfter: .seconds(60), publicURL: "https://g.example")
        let data = try JSONEncoder().encode(settings)
        #expect(try JSONDecoder().decode(GnomonSettings.self, from: data) == settings)
        #expect(try JSONDecoder().decode(GnomonSettings.self, from: Data("{}".utf8)) == GnomonSettings())
    }
}
