import GnomonCore
@testable import GnomonExecution
import Testing

/// The runtime command line of a launch, container names and the mapping of a container's end
/// to an outcome. Pure: no runtime is run.
@Suite("Container command lines and outcomes")
struct ContainerArgumentsTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let flavor: ContainerRuntime.Flavor
        let launch: ContainerLaunch
        let expected: Result<[String], ContainerLaunchProblem>
        var testDescription: String { name }

        init(_ name: String, _ flavor: ContainerRuntime.Flavor = .podman,
             configure: (inout ContainerLaunch) -> Void = { _ in }, arguments: [String]) {
            self.name = name
            self.flavor = flavor
            self.launch = Self.launch(configure)
            self.expected = .success(arguments)
        }

        init(_ name: String, configure: (inout ContainerLaunch) -> Void, problem: String) {
            self.name = name
            self.flavor = .podman
            self.launch = Self.launch(configure)
            self.expected = .failure(ContainerLaunchProblem(reason: problem))
        }

        static func launch(_ configure: (inout ContainerLaunch) -> Void) -> ContainerLaunch {
            var launch = ContainerLaunch(
                spec: ContainerSpec(image: "alpine:3", command: ["echo", "hi"]), name: "gnomon-j-1-t-1",
                labels: ["gnomon.task": "t", "gnomon.job": "j"], environment: ["GNOMON_TASK": "t"],
                hostDirectory: "/jobs/etl", logPath: "/logs/1.log")
            configure(&launch)
            return launch
        }
    }

    static let head = ["create", "--name", "gnomon-j-1-t-1", "--init", "--network", "none", "--pull", "missing"]
    static let labels = ["--label", "gnomon.job=j", "--label", "gnomon.task=t"]

    static let cases: [Case] = [
        Case("defaults: init, no network, pull missing, passthrough logs, sorted labels",
             arguments: head + ["--log-driver", "passthrough"] + labels + ["--env", "GNOMON_TASK=t", "--", "alpine:3", "echo", "hi"]),
        Case("docker gets no passthrough log driver", .docker,
             arguments: head + labels + ["--env", "GNOMON_TASK=t", "--", "alpine:3", "echo", "hi"]),
        Case("no command runs the image's default", configure: { $0.spec.command = nil },
             arguments: head + ["--log-driver", "passthrough"] + labels + ["--env", "GNOMON_TASK=t", "--", "alpine:3"]),
        Case("every setting", configure: {
            $0.spec.network = "host"
            $0.spec.pull = .never
            $0.spec.workdir = "/w"
            $0.spec.user = "1000:1000"
            $0.spec.cpus = 1.5
            $0.spec.memory = "512m"
            $0.labels = [:]
            $0.environment = [:]
        }, arguments: ["create", "--name", "gnomon-j-1-t-1", "--init", "--network", "host", "--pull", "never",
                       "--log-driver", "passthrough", "--workdir", "/w", "--user", "1000:1000",
                       "--cpus", "1.5", "--memory", "512m", "--", "alpine:3", "echo", "hi"]),
        Case("the spec's env goes over the task's, but GNOMON_ variables stay", configure: {
            $0.labels = [:]
            $0.environment = ["GNOMON_TASK": "t", "MODE": "task", "KEEP": "1"]
            $0.spec.env = ["MODE": "container", "GNOMON_TASK": "other", "GNOMON_EXTRA": "x", "Z": "a=b\nc"]
        }, arguments: head + ["--log-driver", "passthrough", "--env", "GNOMON_EXTRA=x", "--env", "GNOMON_TASK=t",
                              "--env", "KEEP=1", "--env", "MODE=container", "--env", "Z=a=b\nc",
                              "--", "alpine:3", "echo", "hi"]),
        Case("mounts: relative host paths are made absolute against the job's folder", configure: {
            $0.labels = [:]
            $0.environment = [:]
            $0.spec.mounts = ["data:/data", "./out/:/out:rw", "../shared:/shared:ro,z", "/abs:/abs"]
        }, arguments: head + ["--log-driver", "passthrough", "--volume", "/jobs/etl/data:/data",
                              "--volume", "/jobs/etl/out:/out:rw", "--volume", "/jobs/shared:/shared:ro,z",
                              "--volume", "/abs:/abs", "--", "alpine:3", "echo", "hi"]),
        Case("a command that looks like an option stays the command", configure: {
            $0.labels = [:]
            $0.environment = [:]
            $0.spec.command = ["--help"]
        }, arguments: head + ["--log-driver", "passthrough", "--", "alpine:3", "--help"]),
        Case("a mount without a container path", configure: { $0.spec.mounts = ["data"] }, problem:
             "mount \"data\" is not valid: write it as host:container or host:container:options, for example ./data:/data:ro"),
        Case("a mount with a relative container path", configure: { $0.spec.mounts = ["data:data"] }, problem:
             "mount \"data:data\" is not valid: the container path \"data\" must be absolute"),
        Case("a relative mount with a relative job folder", configure: {
            $0.hostDirectory = "jobs"
            $0.spec.mounts = ["data:/data"]
        }, problem: "mount \"data:/data\" has a relative host path, but the job's folder \"jobs\" is not absolute"),
        Case("an invalid container name", configure: { $0.name = "gnomon/etl 1" }, problem:
             "container name \"gnomon/etl 1\" is not valid: it must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"),
        Case("an image that looks like an option", configure: { $0.spec.image = "--privileged" }, problem:
             "container image \"--privileged\" is not a valid image reference"),
        Case("zero cpus", configure: { $0.spec.cpus = 0 }, problem: "container cpus must be above 0 (got 0.0)"),
        Case("a variable name with =", configure: { $0.spec.env = ["A=B": "c"] }, problem:
             "environment variable name \"A=B\" is not valid: it must be non-empty and hold no \"=\""),
    ]

    @Test("create arguments", arguments: cases)
    func createArguments(_ testCase: Case) {
        #expect(testCase.launch.createArguments(flavor: testCase.flavor) == testCase.expected)
    }

    @Test("container names", arguments: [
        ("plain parts are joined", "etl", "20260101T0000", "load", 1, "gnomon-etl-20260101T0000-load-1"),
        ("spaces, slashes and colons become _", "my job", "2026-01-01T00:00:00Z", "a/b", 2,
         "gnomon-my_job-2026-01-01T00_00_00Z-a_b-2"),
        ("non-ASCII letters become _", "café", "r", "t", 3, "gnomon-caf_-r-t-3"),
    ])
    func names(_ name: String, _ job: String, _ run: String, _ task: String, _ attempt: Int, _ expected: String) {
        let made = ContainerLaunch.containerName(job: job, run: run, task: task, attempt: attempt)
        #expect(made == expected, "\(name)")
        #expect(ContainerLaunch.isValidName(made))
    }

    @Test("sanitize puts a letter in front of a name that needs one")
    func sanitizeFront() {
        #expect(ContainerLaunch.sanitize("_x") == "x_x")
        #expect(ContainerLaunch.sanitize("") == "x")
        #expect(!ContainerLaunch.isValidName(".hidden"))
    }

    struct OutcomeCase: Sendable, CustomTestStringConvertible {
        let name: String
        let state: ContainerState
        let logTail: String
        let expected: AttemptOutcome
        var testDescription: String { name }
    }

    static let outcomeCases: [OutcomeCase] = [
        OutcomeCase(name: "exit 0", state: ContainerState(status: "exited", exitCode: 0), logTail: "", expected: .exited(code: 0)),
        OutcomeCase(name: "the container's own 125 is an exit code",
                    state: ContainerState(status: "exited", exitCode: 125), logTail: "", expected: .exited(code: 125)),
        OutcomeCase(name: "the runtime's OOM flag", state: ContainerState(status: "exited", exitCode: 137, oomKilled: true),
                    logTail: "", expected: .outOfMemory),
        OutcomeCase(name: "137 under a memory limit is out of memory (cgroup v1 hosts set no flag)",
                    state: ContainerState(status: "exited", exitCode: 137, memoryLimit: 16 << 20), logTail: "", expected: .outOfMemory),
        OutcomeCase(name: "137 without a limit is an exit code",
                    state: ContainerState(status: "exited", exitCode: 137), logTail: "", expected: .exited(code: 137)),
        OutcomeCase(name: "a runtime error with 127 could not start",
                    state: ContainerState(status: "exited", exitCode: 127, error: "executable file `x` not found in $PATH"),
                    logTail: "", expected: .couldNotStart(reason: "executable file `x` not found in $PATH")),
        OutcomeCase(name: "catatonit could not exec the command",
                    state: ContainerState(status: "exited", exitCode: 1),
                    logTail: "ERROR (catatonit:6): failed to exec pid1: No such file or directory\n",
                    expected: .couldNotStart(reason:
                        "the container's command could not be executed: ERROR (catatonit:6): failed to exec pid1: No such file or directory")),
        OutcomeCase(name: "tini could not exec the command",
                    state: ContainerState(status: "exited", exitCode: 127),
                    logTail: "[FATAL tini (7)] exec nosuch failed: No such file or directory\n",
                    expected: .couldNotStart(reason:
                        "the container's command could not be executed: [FATAL tini (7)] exec nosuch failed: No such file or directory")),
        OutcomeCase(name: "a clean exit is never a start failure, whatever the log says",
                    state: ContainerState(status: "exited", exitCode: 0),
                    logTail: "ERROR (catatonit:6): failed to exec pid1\n", expected: .exited(code: 0)),
    ]

    @Test("outcome of an ended container", arguments: outcomeCases)
    func outcome(_ testCase: OutcomeCase) {
        #expect(testCase.state.outcome(logTail: testCase.logTail) == testCase.expected)
    }

    @Test("inspect output is parsed, the error text last and free")
    func parseInspect() {
        let state = ContainerState(inspectOutput: "Exited\n3\nfalse\n16777216\nsomething: went\nwrong\n")
        #expect(state == ContainerState(status: "exited", exitCode: 3, memoryLimit: 16_777_216, error: "something: went\nwrong"))
        #expect(ContainerState(inspectOutput: "running\n0\ntrue\n0\n\n")?.oomKilled == true)
        #expect(ContainerState(inspectOutput: "Error: no such container") == nil)
    }

    @Test("the runtime's message: Error lines without the prefix")
    func runtimeMessage() {
        let output = CapturedOutput(
            status: .exited(code: 125), standardOutput: [],
            standardError: Array("Trying to pull x...\nError: x: image not known\n".utf8))
        #expect(ContainerCLI.message(of: output) == "x: image not known")
        let quiet = CapturedOutput(status: .exited(code: 125), standardOutput: [], standardError: [])
        #expect(ContainerCLI.message(of: quiet) == "it printed nothing (exit 125)")
    }
}
