import GnomonCore
import GnomonJobFiles
import Testing

/// `schedule: { every: 10m, from: end }`: what a continuous schedule reads as, and each problem
/// with its file:line:column and key path.
@Suite("Continuous schedules in job files")
struct ContinuousScheduleReaderTests {
    struct Valid: CustomTestStringConvertible, Sendable {
        let name: String
        let schedule: String
        let spec: ContinuousSpec
        let expression: String
        var testDescription: String { name }
    }

    static let valid: [Valid] = [
        Valid(name: "from end", schedule: "{ every: 10m, from: end }",
              spec: ContinuousSpec(every: .seconds(600), from: .end), expression: "every 10m from end"),
        Valid(name: "from start", schedule: "{ every: 1h30m, from: start }",
              spec: ContinuousSpec(every: .seconds(5400), from: .start), expression: "every 1h30m from start"),
        Valid(name: "from left out means end", schedule: "{ every: 45s }",
              spec: ContinuousSpec(every: .seconds(45), from: .end), expression: "every 45s from end"),
        Valid(name: "with a time zone and a jitter shorter than every", schedule: "{ every: 10m, from: end, timezone: Europe/Dublin, jitter: 30s }",
              spec: ContinuousSpec(every: .seconds(600), from: .end), expression: "every 10m from end"),
    ]

    @Test(arguments: valid)
    func reads(_ c: Valid) throws {
        let result = Fixtures.load("schedule: \(c.schedule)\ntasks: { a: { run: x } }\n")
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
        let spec = try #require(result.spec?.schedule)
        #expect(spec.continuous == c.spec)
        #expect(spec.expression == c.expression)
        let job = try #require(result.job)
        #expect(job.schedule?.continuous == ContinuousSchedule(every: c.spec.every, from: c.spec.from))
        #expect(job.schedule?.next(after: .now) == nil, "a continuous schedule has no calendar of fire times")
    }

    struct Invalid: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let expected: [String]
        var testDescription: String { name }
    }

    static let invalid: [Invalid] = [
        Invalid(name: "a near miss of from", yaml: "schedule: { every: 10m, from: ends }\n",
                expected: ["jobs/etl.yaml:1:31: schedule.from: must be one of end, start (got \"ends\"); did you mean \"end\"?"]),
        Invalid(name: "from far from any value", yaml: "schedule:\n  every: 10m\n  from: yesterday\n",
                expected: ["jobs/etl.yaml:3:9: schedule.from: must be one of end, start (got \"yesterday\")"]),
        Invalid(name: "cron and every together", yaml: "schedule: { cron: \"@daily\", every: 10m }\n",
                expected: ["jobs/etl.yaml:1:36: schedule.every: a schedule has either cron: (fire times on a calendar) or every: (a continuous schedule, counted from the previous run), not both; remove one"]),
        Invalid(name: "from without every", yaml: "schedule: { from: end }\n",
                expected: ["jobs/etl.yaml:1:19: schedule.from: from: needs every: (a continuous schedule such as every: 10m, from: end)"]),
        Invalid(name: "from beside cron", yaml: "schedule: { cron: \"@daily\", from: end }\n",
                expected: ["jobs/etl.yaml:1:35: schedule.from: from: belongs to a continuous schedule (every: 10m, from: end), not to cron:; remove it"]),
        Invalid(name: "every of zero", yaml: "schedule: { every: 0s }\n",
                expected: ["jobs/etl.yaml:1:20: schedule.every: every 0s is too short; a continuous schedule waits at least 1s between runs"]),
        Invalid(name: "every that is not a duration", yaml: "schedule: { every: often }\n",
                expected: ["jobs/etl.yaml:1:20: schedule.every: "]),
        Invalid(name: "a jitter as long as every", yaml: "schedule: { every: 1m, jitter: 1m }\n",
                expected: ["jobs/etl.yaml:1:32: schedule.jitter: jitter 1m must be shorter than 1m, the shortest time between two fire times of \"every 1m from end\""]),
        Invalid(name: "an unknown key with a near miss", yaml: "schedule: { every: 1m, fro: end }\n",
                expected: ["jobs/etl.yaml:1:24: schedule.fro: unknown key \"fro\"; did you mean \"from\"?"]),
    ]

    @Test(arguments: invalid)
    func refuses(_ c: Invalid) {
        let result = Fixtures.load(c.yaml + "tasks: { a: { run: x } }\n")
        #expect(result.spec == nil)
        let problems = result.diagnostics.map(\.description)
        #expect(problems.count == c.expected.count, "\(problems)")
        for (problem, expected) in zip(problems, c.expected) {
            #expect(problem.hasPrefix(expected), "\(problem)")
        }
        if c.expected.first?.hasSuffix(": ") == false { #expect(problems == c.expected) }
    }
}
