import Foundation
import GnomonTesting
import Testing

/// What a task sees when its job comes from a job file and runs through `gnomon run`.
@Suite("Task environment from a job file")
struct EnvironmentFileTests {
    @Test("defaults env, task env over it, --param, Gnomon's variables and workdir relative to the job file")
    func environment() async throws {
        let home = try TemporaryHome()
        try FileManager.default.createDirectory(atPath: home.path("jobs/scripts"), withIntermediateDirectories: true)
        try home.writeJob("report", """
            defaults:
              env: {REGION: eu, MODE: default, SHARED: from-defaults}
            tasks:
              dump:
                run: env > '\(home.path("env"))'; pwd -P > '\(home.path("pwd"))'
                env: {MODE: task}
                workdir: scripts
            """)
        let cli = CLI(home: home)
        let result = try await cli.run(
            ["run", "report", "--param", "batch-size=10", "--param", "day=2026-11-26"],
            environment: CLI.environment.merging(["SHARED": "from-runner", "FROM_RUNNER": "kept"]) { _, new in new })
        #expect(result.status == 0, "\(result)")

        var env: [String: String] = [:]
        for line in (home.read("env") ?? "").split(separator: "\n") {
            if let equals = line.firstIndex(of: "=") { env[String(line[..<equals])] = String(line[line.index(after: equals)...]) }
        }
        #expect(env["REGION"] == "eu")
        #expect(env["MODE"] == "task", "the task's env wins over defaults")
        #expect(env["SHARED"] == "from-defaults", "the job's env wins over the runner's")
        #expect(env["FROM_RUNNER"] == "kept")
        #expect(env["GNOMON_JOB"] == "report")
        #expect(env["GNOMON_TASK"] == "dump")
        #expect(env["GNOMON_RUN_ID"] == "1")
        #expect(env["GNOMON_ATTEMPT"] == "1")
        #expect(env["GNOMON_PARAM_BATCH_SIZE"] == "10")
        #expect(env["GNOMON_PARAM_DAY"] == "2026-11-26")
        let show = try #require(try await cli.run(["show", "1", "--json"]).json() as? [String: Any])
        let scheduled = try #require(show["scheduled_at"] as? String)
        // The same text as the recorded time, to the millisecond.
        #expect(env["GNOMON_SCHEDULED_TIME"] == scheduled)
        let folder = URL(fileURLWithPath: home.path("jobs/scripts")).resolvingSymlinksInPath().path
        #expect(home.read("pwd") == folder + "\n")
    }

    @Test("gnomon run --workers bounds the tasks running at once")
    func workers() async throws {
        let home = try TemporaryHome()
        let file = home.path("intervals")
        var tasks = "tasks:\n"
        for index in 1...4 {
            let body = IntervalLog.busy(file, seconds: "0.1", barrier: 2).replacingOccurrences(of: "\"", with: "\\\"")
            tasks += "  t\(index):\n    run: \"\(body)\"\n"
        }
        try home.writeJob("wide", tasks)
        let result = try await CLI(home: home).run(["run", "wide", "--workers", "2"])
        #expect(result.status == 0, "\(result)")
        let log = IntervalLog(text: home.read("intervals") ?? "")
        #expect(log.intervals.count == 4)
        #expect(log.maxOverlap == 2)
    }
}
