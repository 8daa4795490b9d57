import Foundation
import GnomonCore
import GnomonEngine
import GnomonTesting
import Testing

/// What a task's process sees: Gnomon's variables, parameters, its env over the runner's, its folder.
@Suite("Task environment")
struct EnvironmentTests {
    /// Parses `env` output (`KEY=VALUE` lines; values here hold no newlines).
    static func parse(_ text: String?) -> [String: String] {
        var result: [String: String] = [:]
        for line in (text ?? "").split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }

    @Test("Gnomon's variables, parameters and the task's env reach the process")
    func variables() async throws {
        let home = try TemporaryHome()
        let scheduled = try #require(ISOTime.parse("2026-11-26T02:30:00Z"))
        let job = JobBuilder("report", directory: home.jobs)
            .task("dump", run: "env > '\(home.path("env"))'.$GNOMON_ATTEMPT; [ $GNOMON_ATTEMPT -ge 2 ]",
                  retry: .quick(limit: 1, delay: duration("10ms")),
                  env: ["MODE": "task", "ONLY_TASK": "yes", "GNOMON_TASK": "spoofed"])
            .build()
        let engine = try home.engine(environment: ["PATH": "/usr/bin:/bin", "MODE": "runner", "FROM_RUNNER": "kept"])
        let prepared = try engine.prepareNewRun(
            job: try job.validated(), trigger: .manual, scheduledAt: scheduled, params: ["batch-size": "10", "region": "eu west 1"])
        let finished = try await execute(prepared, engine: engine)
        #expect(finished.status == .succeeded)

        for attempt in 1...2 {
            let env = Self.parse(home.read("env.\(attempt)"))
            #expect(env["GNOMON_JOB"] == "report")
            #expect(env["GNOMON_RUN_ID"] == String(finished.id))
            #expect(env["GNOMON_TASK"] == "dump", "Gnomon's variables win over the task's env")
            #expect(env["GNOMON_ATTEMPT"] == String(attempt))
            #expect(env["GNOMON_SCHEDULED_TIME"] == "2026-11-26T02:30:00Z")
            #expect(env["GNOMON_PARAM_BATCH_SIZE"] == "10")
            #expect(env["GNOMON_PARAM_REGION"] == "eu west 1")
            #expect(env["MODE"] == "task", "the task's env wins over the runner's")
            #expect(env["ONLY_TASK"] == "yes")
            #expect(env["FROM_RUNNER"] == "kept")
        }
        #expect(finished.detail.params == ["batch-size": "10", "region": "eu west 1"])
    }

    struct WorkdirCase: CustomTestStringConvertible, Sendable {
        let name: String
        let workdir: String?
        /// The expected folder, relative to the temporary root (`jobs` is the job file's folder).
        let expected: String
        var testDescription: String { name }
    }

    static let workdirs: [WorkdirCase] = [
        WorkdirCase(name: "no workdir: the job file's folder", workdir: nil, expected: "jobs"),
        WorkdirCase(name: "a relative workdir: inside the job file's folder", workdir: "scripts/etl", expected: "jobs/scripts/etl"),
        WorkdirCase(name: "a ./ relative workdir", workdir: "./scripts", expected: "jobs/scripts"),
        WorkdirCase(name: "a ../ relative workdir", workdir: "../data", expected: "data"),
    ]

    @Test("a task starts in its workdir, resolved against the job file's folder", arguments: workdirs)
    func workdir(_ c: WorkdirCase) async throws {
        let home = try TemporaryHome()
        for folder in ["jobs/scripts/etl", "data"] {
            try FileManager.default.createDirectory(atPath: home.path(folder), withIntermediateDirectories: true)
        }
        let job = JobBuilder("where", directory: home.jobs)
            .task("where", run: "pwd -P > '\(home.path("pwd"))'", workdir: c.workdir)
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .succeeded)
        let real = URL(fileURLWithPath: home.path(c.expected)).resolvingSymlinksInPath().path
        #expect(home.read("pwd") == real + "\n")
    }
}

/// GNOMON_SCHEDULED_TIME names the same instant, to the millisecond, as the recorded scheduled_at.
@Suite("Scheduled time")
struct ScheduledTimeTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let seconds: Double
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a whole second", seconds: 1_800_000_000),
        Case(name: "milliseconds only", seconds: 1_800_000_000.901),
        Case(name: "a fraction that rounds up", seconds: 1_800_000_000.1236),
        Case(name: "a fraction that rounds down", seconds: 1_800_000_000.1234),
        Case(name: "a fraction that rounds up to the next second", seconds: 1_800_000_000.9996),
    ]

    @Test("the variable and the record agree", arguments: cases)
    func agree(_ c: Case) async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("when", directory: home.jobs)
            .task("when", run: "echo $GNOMON_SCHEDULED_TIME > '\(home.path("when"))'")
            .build()
        let engine = try home.engine()
        let prepared = try engine.prepareNewRun(
            job: try job.validated(), trigger: .manual, scheduledAt: Date(timeIntervalSince1970: c.seconds))
        let finished = try await execute(prepared, engine: engine)
        #expect(finished.status == .succeeded)

        let text = (home.read("when") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let variable = try #require(ISOTime.parse(text), "GNOMON_SCHEDULED_TIME \"\(text)\" is not ISO 8601")
        let recorded = finished.detail.summary.scheduledAt
        #expect(abs(variable.timeIntervalSince(recorded)) < 0.0002, "variable \(text), recorded \(ISOTime.utc(recorded))")
    }
}
