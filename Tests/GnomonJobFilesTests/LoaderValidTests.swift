import Foundation
import GnomonCore
import GnomonJobFiles
import Testing

@Suite("Loading valid job files")
struct LoaderValidTests {
    @Test("the full example loads into the JobSpec it describes")
    func fullExample() {
        let result = Fixtures.load(Fixtures.fullExample)
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.spec == Fixtures.fullExampleSpec)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        var path = "jobs/etl.yaml"
        let check: @Sendable (JobSpec) -> Bool
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a minimal job has the documented defaults", yaml: "tasks: { a: { run: echo hi } }") { job in
            job.name == "etl" && job.schedule == nil && job.overlap == .skip && job.catchup == .latest
                && !job.paused && job.timeout == nil && job.concurrency == nil
                && job.tasks == [TaskSpec(name: "a", action: .shell("echo hi"))]
        },
        Case(name: "a schedule string is kept as the expression, in UTC", yaml: """
            schedule: "30 2 * * 1-5"
            tasks: { a: { run: x } }
            """) { $0.schedule == ScheduleSpec(expression: "30 2 * * 1-5", timeZone: "UTC", jitter: nil) },
        Case(name: "an @every interval is a schedule string", yaml: """
            schedule: "@every 15m"
            tasks: { a: { run: x } }
            """) { $0.schedule?.expression == "@every 15m" },
        Case(name: "a macro is a schedule string", yaml: "schedule: '@daily'\ntasks: { a: { run: x } }") {
            $0.schedule?.expression == "@daily"
        },
        Case(name: "the long schedule form defaults to UTC and no jitter", yaml: """
            schedule: { cron: "0 * * * *" }
            tasks: { a: { run: x } }
            """) { $0.schedule == ScheduleSpec(expression: "0 * * * *") },
        Case(name: "retry as an integer sets only the limit", yaml: "tasks: { a: { run: x, retry: 3 } }") {
            $0.tasks[0].retry == RetryPolicy(limit: 3)
        },
        Case(name: "retry as a mapping keeps the defaults it does not set", yaml: """
            tasks: { a: { run: x, retry: { limit: 1, delay: 1s } } }
            """) { $0.tasks[0].retry == RetryPolicy(limit: 1, delay: .seconds(1)) },
        Case(name: "a task's env merges over defaults.env, the task winning per variable", yaml: """
            defaults: { env: { A: "1", B: "2" } }
            tasks: { a: { run: x, env: { B: three, C: 4 } } }
            """) { $0.tasks[0].env == ["A": "1", "B": "three", "C": "4"] },
        Case(name: "a task's retry replaces the default retry as a whole", yaml: """
            defaults: { retry: { limit: 5, delay: 1m } }
            tasks: { a: { run: x, retry: 1 }, b: { run: y } }
            """) { job in
            job.tasks[0].retry == RetryPolicy(limit: 1)
                && job.tasks[1].retry == RetryPolicy(limit: 5, delay: .seconds(60))
        },
        Case(name: "null values count as not set", yaml: """
            description:
            schedule: ~
            timeout: null
            concurrency:
            tasks:
              a:
                run: x
                depends_on:
                retry:
            """) { $0.schedule == nil && $0.description == nil && $0.tasks[0].retry == RetryPolicy() },
        Case(name: "tasks keep the file's order", yaml: """
            tasks:
              zeta: { run: x }
              alpha: { run: x, depends_on: [zeta] }
              mid: { run: x, after: [alpha, zeta] }
            """) { $0.tasks.map(\.name) == ["zeta", "alpha", "mid"] && $0.tasks[2].after == ["alpha", "zeta"] },
        Case(name: "a .yml file names the job by its stem", yaml: "tasks: { a: { run: x } }",
             path: "/srv/jobs/backup_2-daily.yml") { $0.name == "backup_2-daily" && $0.directory == "/srv/jobs" },
        Case(name: "anchors and aliases reuse a value", yaml: """
            tasks:
              a: { run: x, env: &common { REGION: eu } }
              b: { run: y, env: *common }
            """) { $0.tasks[1].env == ["REGION": "eu"] },
        Case(name: "a block scalar keeps a multi-line shell script", yaml: """
            tasks:
              a:
                run: |
                  set -e
                  echo "[x]: y" # not a comment for YAML
            """) { $0.tasks[0].action == .shell("set -e\necho \"[x]: y\" # not a comment for YAML") },
        Case(name: "durations accept bare seconds", yaml: "timeout: 90\ntasks: { a: { run: x, timeout: 1h30m } }") {
            $0.timeout == .seconds(90) && $0.tasks[0].timeout == .seconds(5400)
        },
        Case(name: "a container without options gets the documented defaults", yaml: """
            tasks: { a: { container: { image: alpine } } }
            """) { $0.tasks[0].action == .container(ContainerSpec(image: "alpine")) },
        Case(name: "Windows line endings and a byte-order mark are accepted",
             yaml: "\u{FEFF}timeout: 5m\r\ntasks:\r\n  a:\r\n    run: echo hi\r\n") {
            $0.timeout == .seconds(300) && $0.tasks[0].action == .shell("echo hi")
        },
        Case(name: "a comment with the schema line is ignored", yaml: """
            # yaml-language-server: $schema=../Docs/job-file.schema.json
            tasks: { a: { run: x } }
            """) { $0.tasks.count == 1 },
    ]

    @Test("valid files load", arguments: cases)
    func valid(_ testCase: Case) throws {
        let result = Fixtures.load(testCase.yaml, path: testCase.path)
        #expect(result.diagnostics.map(\.description) == [])
        let spec = try #require(result.spec)
        #expect(testCase.check(spec))
    }

    @Test("a file on disk loads, and its folder becomes the job's directory")
    func fromDisk() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gnomon-load-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("nightly.yaml")
        try "tasks: { a: { run: echo hi } }\n".write(to: file, atomically: true, encoding: .utf8)
        let spec = try #require(JobFileLoader.load(path: file.path).spec)
        #expect(spec.name == "nightly")
        #expect(spec.directory == folder.standardizedFileURL.path)
    }
}
