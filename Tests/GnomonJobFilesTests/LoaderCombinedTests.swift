import GnomonCore
import GnomonJobFiles
import Testing

@Suite("Several problems, schedules and edge cases")
struct LoaderCombinedTests {
    @Test("every problem in a file is reported at once, in file order")
    func severalProblems() {
        let yaml = """
            schedule: { cron: "0 3 * * *", jitter: soon }
            overlap: sometimes
            concurrency: 0
            tasks:
              extract: { run: ./extract.sh, retry: three }
              transform:
                command: python3 transform.py
                depends_on: [extract, lod]
              load:
                container: { image: x, cpus: -1 }
                depends_on: [load]
              Report: { run: ./report.sh, timeout: 5 minutes }
            """
        #expect(Fixtures.problems(yaml) == [
            "jobs/etl.yaml:1:40: schedule.jitter: \"soon\" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds",
            "jobs/etl.yaml:2:10: overlap: must be one of skip, queue, allow, replace (got \"sometimes\")",
            "jobs/etl.yaml:3:14: concurrency: must be 1 or more (got 0); remove the key for no per-run limit",
            "jobs/etl.yaml:5:40: tasks.extract.retry: must be an integer or a mapping (got \"three\")",
            "jobs/etl.yaml:7:14: tasks.transform.command: must be a list of arguments, like [python3, transform.py] (got \"python3 transform.py\")",
            "jobs/etl.yaml:8:27: tasks.transform.depends_on[1]: no task is named \"lod\"; did you mean \"load\"?",
            "jobs/etl.yaml:10:34: tasks.load.container.cpus: must be more than 0 (got -1)",
            "jobs/etl.yaml:11:18: tasks.load.depends_on[0]: a task cannot wait for itself; remove \"load\" from depends_on",
            "jobs/etl.yaml:12:3: tasks.Report: task name \"Report\" must use only a-z, 0-9, \"_\" and \"-\", starting with a letter or digit; for example \"report\"",
            "jobs/etl.yaml:12:40: tasks.Report.timeout: \"5 minutes\" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds",
        ])
    }

    @Test("a repeated key does not hide problems elsewhere, nor shift their columns")
    func repeatedKeysKeepPositions() {
        let yaml = """
            tasks: { a: { run: x, retry: three }, a: { run: y }, b: { run: z, env: { A: 1, A: 2, B: [] } } }
            timeout: soon
            tasks: {}
            """
        #expect(Fixtures.problems(yaml) == [
            "jobs/etl.yaml:1:30: tasks.a.retry: must be an integer or a mapping (got \"three\")",
            "jobs/etl.yaml:1:39: tasks.a: task \"a\" is defined again (first at line 1); remove or rename one",
            "jobs/etl.yaml:1:80: tasks.b.env.A: key \"A\" is defined again (first at line 1); remove or rename one",
            "jobs/etl.yaml:1:89: tasks.b.env.B: must be text (write \"\" for an empty value) (got a list)",
            "jobs/etl.yaml:2:10: timeout: \"soon\" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds",
            "jobs/etl.yaml:3:1: tasks: key \"tasks\" is defined again (first at line 1); remove or rename one",
        ])
    }

    @Test("a task defined three times is reported at the second and the third")
    func threeDefinitions() {
        let yaml = "tasks:\n  a: { run: x }\n  a: { run: y }\n  a: { run: z }\n"
        #expect(Fixtures.problems(yaml) == [
            "jobs/etl.yaml:3:3: tasks.a: task \"a\" is defined again (first at line 2); remove or rename one",
            "jobs/etl.yaml:4:3: tasks.a: task \"a\" is defined again (first at line 2); remove or rename one",
        ])
    }

    @Test("every cycle is reported, each at the dependency that closes it")
    func everyCycle() {
        let yaml = """
            tasks:
              a: { run: x, depends_on: [b] }
              b: { run: x, depends_on: [a] }
              c: { run: x, after: [d] }
              d: { run: x, after: [c] }
            """
        #expect(Fixtures.problems(yaml) == [
            "jobs/etl.yaml:2:29: tasks.a.depends_on[0]: dependency cycle a -> b -> a; remove one of these dependencies",
            "jobs/etl.yaml:4:24: tasks.c.after[0]: dependency cycle c -> d -> c; remove one of these dependencies",
        ])
    }

    struct ScheduleCase: CustomTestStringConvertible, Sendable {
        let name: String
        let schedule: String
        let spec: ScheduleSpec
        /// Where a problem with each part is reported.
        let paths: [ScheduleProblem.Part: String]
        var testDescription: String { name }
    }

    static let scheduleCases: [ScheduleCase] = [
        ScheduleCase(name: "a minute out of range in the short form", schedule: "\"61 * * * *\"",
                     spec: ScheduleSpec(expression: "61 * * * *"), paths: [.expression: "1:11: schedule"]),
        ScheduleCase(name: "a bad interval in the short form", schedule: "\"@every 0s\"",
                     spec: ScheduleSpec(expression: "@every 0s"), paths: [.expression: "1:11: schedule"]),
        ScheduleCase(name: "too few fields in the long form", schedule: "{ cron: \"* * *\", timezone: UTC }",
                     spec: ScheduleSpec(expression: "* * *"), paths: [.expression: "1:19: schedule.cron"]),
        ScheduleCase(name: "an unknown time zone in the long form", schedule: "{ cron: \"@daily\", timezone: Mars/Olympus }",
                     spec: ScheduleSpec(expression: "@daily", timeZone: "Mars/Olympus"),
                     paths: [.timeZone: "1:39: schedule.timezone"]),
        ScheduleCase(name: "a long jitter in the long form", schedule: "{ cron: \"@hourly\", jitter: 3000d }",
                     spec: ScheduleSpec(expression: "@hourly", jitter: .seconds(3000 * 86400)),
                     paths: [.jitter: "1:38: schedule.jitter"]),
    ]

    /// Schedules are judged by `ScheduleSpec.makeSchedule()`; the loader must report exactly what it
    /// says, at the key its part names (and, for time zones, fall back on its own check).
    @Test("schedule problems are makeSchedule's, at the key of the part at fault", arguments: scheduleCases)
    func scheduleProblems(_ c: ScheduleCase) {
        let problems = Fixtures.problems("schedule: \(c.schedule)\ntasks: { a: { run: x } }\n")
        switch c.spec.makeSchedule() {
        case .failure(let problem):
            #expect(problems == ["jobs/etl.yaml:\(c.paths[problem.part] ?? "?"): \(problem.message)"])
        case .success:
            if c.spec.timeZone == "Mars/Olympus" {
                #expect(problems == ["jobs/etl.yaml:\(c.paths[.timeZone]!): unknown time zone \"Mars/Olympus\"; use an IANA name such as UTC or Europe/Dublin"])
            } else {
                #expect(problems == [])
            }
        }
    }

    @Test("a run may have 100,000 tasks in a chain (100,000 levels deep), not 100,001")
    func taskLimit() {
        func chain(_ count: Int) -> String {
            "tasks:\n" + (0..<count).map { "  t\($0): { run: x\($0 == 0 ? "" : ", depends_on: [t\($0 - 1)]") }" }
                .joined(separator: "\n")
        }
        #expect(Fixtures.load(chain(1000)).spec?.tasks.count == 1000)
        #expect(Fixtures.load(chain(100_000)).spec?.tasks.count == 100_000)
        #expect(Fixtures.problems(chain(100_001)) == [
            "jobs/etl.yaml:2:3: tasks: a run may have at most 100000 tasks (got 100001); split the job into several jobs",
        ])
    }

    @Test("a 1000-task cycle is found and printed")
    func longCycle() throws {
        let yaml = "tasks:\n" + (0..<1000).map { "  t\($0): { run: x, depends_on: [t\(($0 + 999) % 1000)] }" }
            .joined(separator: "\n")
        let problems = Fixtures.load(yaml).diagnostics
        #expect(problems.count == 1)
        let message = try #require(problems.first?.message)
        #expect(message.hasPrefix("dependency cycle t0 -> t1 -> t2 -> "))
        #expect(message.hasSuffix("t998 -> t999 -> t0; remove one of these dependencies"))
    }
}
