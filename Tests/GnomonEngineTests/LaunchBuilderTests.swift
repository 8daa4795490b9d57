import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonTesting
import Testing

/// What the engine puts in each attempt's launch: identity, environment, paths, limits.
@Suite("Launch builder")
struct LaunchBuilderTests {
    static let scheduledAt = Date(timeIntervalSince1970: 1_795_660_200)  // 2026-11-26T02:30:00Z
    static let runner = ["PATH": "/usr/bin:/bin", "HOME": "/root"]
    static let gnomonVariables = [
        "GNOMON_JOB": "etl", "GNOMON_RUN_ID": "42", "GNOMON_TASK": "load", "GNOMON_ATTEMPT": "2",
        "GNOMON_SCHEDULED_TIME": "2026-11-26T02:30:00Z", "GNOMON_PARAM_BATCH_SIZE": "10",
        "GNOMON_OUTPUT": "/home/g/logs/etl/42/load.2.output",
    ]
    /// In a container the output file is mounted at its own path.
    static let containerVariables = gnomonVariables.merging(["GNOMON_OUTPUT": "/gnomon/output"]) { $1 }

    static let builder = LaunchBuilder(
        job: JobSpec(name: "etl", tasks: [], directory: "/jobs/etl"), runID: 42, scheduledAt: scheduledAt,
        params: ["batch-size": "10"],
        settings: EngineSettings(home: "/home/g", killGrace: .seconds(3), baseEnvironment: runner))

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let action: TaskAction
        var env: [String: String] = [:]
        var workdir: String?
        var dependsOn: [String] = []
        let environment: [String: String]
        let workingDirectory: String
        var testDescription: String { name }
    }

    static let container = TaskAction.container(ContainerSpec(image: "localhost/loader:1", mounts: ["../x:/d"]))

    static let cases: [Case] = [
        Case(name: "a run: task gets the runner's environment, its env over it, Gnomon's variables last; it starts in the job's folder",
             action: .shell("./load.sh"), env: ["MODE": "full", "PATH": "/opt/bin"],
             environment: runner.merging(["MODE": "full", "PATH": "/opt/bin"]) { $1 }.merging(gnomonVariables) { $1 },
             workingDirectory: "/jobs/etl"),
        Case(name: "a command: task is built the same way",
             action: .command(["load", "--all"]),
             environment: runner.merging(gnomonVariables) { $1 }, workingDirectory: "/jobs/etl"),
        Case(name: "a relative workdir is joined to the job's folder",
             action: .shell("true"), workdir: "./reports",
             environment: runner.merging(gnomonVariables) { $1 }, workingDirectory: "/jobs/etl/reports"),
        Case(name: "a workdir with .. is joined lexically",
             action: .shell("true"), workdir: "../shared/in",
             environment: runner.merging(gnomonVariables) { $1 }, workingDirectory: "/jobs/shared/in"),
        Case(name: "an absolute workdir is used as written, normalised",
             action: .shell("true"), workdir: "/data/./in/",
             environment: runner.merging(gnomonVariables) { $1 }, workingDirectory: "/data/in"),
        Case(name: "a container sees only its env and Gnomon's variables, never the runner's",
             action: container, env: ["MODE": "full"],
             environment: ["MODE": "full"].merging(containerVariables) { $1 }, workingDirectory: "/jobs/etl"),
        Case(name: "a container works from the job's folder whatever the task's workdir",
             action: container, workdir: "reports",
             environment: containerVariables, workingDirectory: "/jobs/etl"),
        Case(name: "a task with upstream tasks also gets its inputs file",
             action: .command(["load"]), dependsOn: ["extract"],
             environment: runner.merging(gnomonVariables) { $1 }.merging(["GNOMON_INPUTS": "/home/g/logs/etl/42/load.2.inputs.json"]) { $1 },
             workingDirectory: "/jobs/etl"),
        Case(name: "a container with upstream tasks sees its inputs file where it is mounted",
             action: container, dependsOn: ["extract"],
             environment: containerVariables.merging(["GNOMON_INPUTS": "/gnomon/inputs.json"]) { $1 }, workingDirectory: "/jobs/etl"),
    ]

    @Test("launch", arguments: cases)
    func launch(_ testCase: Case) {
        let task = TaskSpec(name: "load", action: testCase.action, dependsOn: testCase.dependsOn, timeout: .seconds(90),
                            env: testCase.env, workdir: testCase.workdir)

        let launch = Self.builder.launch(task, attempt: 2)

        #expect(launch.identity == AttemptIdentity(job: "etl", run: 42, task: "load", attempt: 2))
        #expect(launch.action == testCase.action)
        #expect(launch.environment == testCase.environment)
        #expect(launch.workingDirectory == testCase.workingDirectory)
        #expect(launch.logPath == "/home/g/logs/etl/42/load.2.log")
        #expect(launch.timeout == .seconds(90))
        #expect(launch.killGrace == .seconds(3))
    }

    @Test("a container attempt is named and labelled after its identity, its mounts taken from the job's folder")
    func containerLaunch() throws {
        let task = TaskSpec(name: "load step", action: Self.container, env: ["MODE": "full"])

        let container = try #require(ContainerLaunch(Self.builder.launch(task, attempt: 2)))

        #expect(container.name == "gnomon-etl-42-load_step-2")
        #expect(container.labels == ["gnomon.job": "etl", "gnomon.run": "42", "gnomon.task": "load step", "gnomon.attempt": "2"])
        #expect(container.hostDirectory == "/jobs/etl")
        #expect(container.logPath == "/home/g/logs/etl/42/load step.2.log")
        #expect(container.environment["MODE"] == "full")
        #expect(container.environment["PATH"] == nil)
        let arguments = try container.createArguments(flavor: .podman).get()
        #expect(arguments.contains("/jobs/x:/d"))
    }

    @Test("GNOMON_INPUTS names the attempt's own file when an upstream task published, else the run's empty one",
          arguments: [
            (["extract": ["day": "1"]], "/home/g/logs/etl/42/load.2.inputs.json"),
            (["extract": [:]], "/home/g/logs/etl/42/empty.inputs.json"),
            ([:], "/home/g/logs/etl/42/empty.inputs.json"),
          ] as [([String: [String: String]], String)])
    func inputsFile(outputs: [String: [String: String]], named: String) throws {
        let task = TaskSpec(name: "load", action: .command(["load"]), dependsOn: ["extract"])

        let launch = try Self.builder.launch(task, attempt: 2, outputs: outputs).get()

        #expect(launch.environment["GNOMON_INPUTS"] == named)
        #expect(launch.inputsPath == named)
    }

    @Test("a local task's launch is no container launch")
    func localIsNoContainer() {
        #expect(ContainerLaunch(Self.builder.launch(TaskSpec(name: "load", action: .shell("true")), attempt: 1)) == nil)
    }
}
