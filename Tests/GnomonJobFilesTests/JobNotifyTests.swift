import GnomonCore
import GnomonJobFiles
import Testing

/// A job file's `notify:`, `late_after:` and `expect_success_every:`, and its rules' channel
/// names checked against the settings file's when they are given.
@Suite("Job files' alerting keys")
struct JobNotifyTests {
    static let tasks = "tasks: { a: { run: echo hi } }\n"

    struct Valid: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        var channels: Set<String>? = ["ops-chat", "oncall"]
        let notify: [NotifyRule]?
        var lateAfter: Duration? = nil
        var expectSuccessEvery: Duration? = nil
        var testDescription: String { name }
    }

    static let valid: [Valid] = [
        Valid(name: "no alerting keys: the settings' defaults apply", yaml: tasks, notify: nil),
        Valid(name: "an empty list: no alerts", yaml: "notify: []\n" + tasks, notify: []),
        Valid(name: "notify with nothing: the settings' defaults apply", yaml: "notify:\n" + tasks, notify: nil),
        Valid(name: "every key", yaml: """
            notify:
              - to: [ops-chat, oncall]
                on: [failure, recovery]
                after_consecutive_failures: 3
                repeat: never
              - { to: [ops-chat], on: [retry], repeat: every_failure }
            late_after: 10m
            expect_success_every: 26h
            """ + "\n" + tasks,
              notify: [
                NotifyRule(to: ["ops-chat", "oncall"], on: [.failure, .recovery], afterConsecutiveFailures: 3),
                NotifyRule(to: ["ops-chat"], on: [.retry], repeat: .everyFailure),
              ],
              lateAfter: .seconds(600), expectSuccessEvery: .seconds(26 * 3600)),
        Valid(name: "channel names unchecked without the settings' names",
              yaml: "notify: [{ to: [anything], on: [failure] }]\n" + tasks, channels: nil,
              notify: [NotifyRule(to: ["anything"], on: [.failure])]),
    ]

    @Test("valid alerting keys give the exact spec", arguments: valid)
    func validKeys(_ c: Valid) throws {
        let result = JobFileLoader.load(text: c.yaml, path: "jobs/etl.yaml", channels: c.channels)
        #expect(result.diagnostics.map(\.description) == [])
        let spec = try #require(result.spec)
        #expect(spec.notify == c.notify)
        #expect(spec.lateAfter == c.lateAfter)
        #expect(spec.expectSuccessEvery == c.expectSuccessEvery)
    }

    struct Invalid: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        var channels: Set<String>? = ["ops-chat", "oncall"]
        let expected: [String]
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "an unknown channel, with the settings' names", yaml: "notify:\n  - { to: [ops-chta, pager], on: [failure] }\n" + tasks,
                expected: [
                    "jobs/etl.yaml:2:12: notify[0].to[0]: no channel \"ops-chta\"; did you mean \"ops-chat\"?",
                    "jobs/etl.yaml:2:22: notify[0].to[1]: no channel \"pager\"; the channels are: oncall, ops-chat",
                ]),
        Invalid(name: "a channel when no settings file defines any", yaml: "notify: [{ to: [ops-chat], on: [failure] }]\n" + tasks,
                channels: [],
                expected: ["jobs/etl.yaml:1:17: notify[0].to[0]: no channel \"ops-chat\"; no channels are defined: define it under channels: in the settings file (gnomon.yaml)"]),
        Invalid(name: "an unknown event and key", yaml: "notify:\n  - { to: [oncall], on: [failed], repat: 1h }\n" + tasks,
                expected: [
                    "jobs/etl.yaml:2:26: notify[0].on[0]: must be one of failure, success, recovery, retry, timeout, skipped, missed, late, invalid, disk_low, disk_ok (got \"failed\")",
                    "jobs/etl.yaml:2:35: notify[0].repat: unknown key \"repat\"; did you mean \"repeat\"?",
                ]),
        Invalid(name: "a misspelt top-level key", yaml: "late_afer: 10m\n" + tasks,
                expected: ["jobs/etl.yaml:1:1: late_afer: unknown key \"late_afer\"; did you mean \"late_after\"?"]),
        Invalid(name: "bad durations", yaml: "late_after: 0s\nexpect_success_every: daily\n" + tasks, expected: [
            "jobs/etl.yaml:1:13: late_after: must be longer than 0s (got \"0s\"); remove the key for no limit",
            "jobs/etl.yaml:2:23: expect_success_every: \"daily\" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds",
        ]),
        Invalid(name: "notify as one rule", yaml: "notify: { to: [oncall], on: [failure] }\n" + tasks,
                expected: ["jobs/etl.yaml:1:9: notify: must be a list of rules, each with to: and on: (got a mapping); put a \"- \" before to: to make it a list"]),
    ]

    @Test("invalid alerting keys are pinned", arguments: invalid)
    func invalidKeys(_ c: Invalid) {
        let result = JobFileLoader.load(text: c.yaml, path: "jobs/etl.yaml", channels: c.channels)
        #expect(result.diagnostics.map(\.description) == c.expected)
        #expect(result.spec == nil)
    }

    @Test("the rules that apply: the job's own, else the settings' defaults; lateness defaults only for scheduled jobs")
    func resolution() {
        let defaults = [NotifyRule(to: ["ops-chat"], on: [.failure])]
        let settings = GnomonSettings(notify: defaults, lateAfter: .seconds(600), expectSuccessEvery: .seconds(3600))
        let plain = JobSpec(name: "a", tasks: [], directory: "/")
        let scheduled = JobSpec(name: "b", schedule: ScheduleSpec(expression: "@daily"), tasks: [], directory: "/")
        let silent = JobSpec(name: "c", tasks: [], directory: "/", notify: [], lateAfter: .seconds(60))
        #expect(settings.rules(for: plain) == defaults)
        #expect(settings.rules(for: silent) == [])
        #expect(settings.lateAfter(for: plain) == nil)
        #expect(settings.lateAfter(for: scheduled) == .seconds(600))
        #expect(settings.lateAfter(for: silent) == .seconds(60))
        #expect(settings.expectSuccessEvery(for: plain) == nil)
        #expect(settings.expectSuccessEvery(for: scheduled) == .seconds(3600))
    }
}
