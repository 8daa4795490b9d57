import GnomonCore
import GnomonExecution
import GnomonTesting
import Testing

/// One attempt of a container task against the real podman: how it ends and what it leaves.
@Suite("Container attempts", .needsPodman)
struct ContainerRunTests {
    /// What an attempt's outcome must be.
    enum Expected: Sendable {
        case outcome(AttemptOutcome)
        /// `.couldNotStart` with a reason that holds this text.
        case couldNotStart(containing: String)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let command: [String]
        let expected: Expected
        /// Text the log must hold.
        let logHolds: [String]
        let configure: @Sendable (inout ContainerSpec) -> Void
        var testDescription: String { name }

        init(
            _ name: String, _ command: [String], _ expected: Expected, logHolds: [String] = [],
            configure: @escaping @Sendable (inout ContainerSpec) -> Void = { _ in }
        ) {
            self.name = name
            self.command = command
            self.expected = expected
            self.logHolds = logHolds
            self.configure = configure
        }
    }

    static let cases: [Case] = [
        Case("a command that succeeds exits 0, both streams in the log",
             ["sh", "-c", "echo to-stdout; echo to-stderr >&2"], .outcome(.exited(code: 0)),
             logHolds: ["to-stdout\n", "to-stderr\n"]),
        Case("the container's exit code 3 is the task's", ["sh", "-c", "exit 3"], .outcome(.exited(code: 3))),
        Case("the container's own 127 (its shell finds no command) is an exit code",
             ["sh", "-c", "nosuchcommand"], .outcome(.exited(code: 127)), logHolds: ["nosuchcommand: not found"]),
        Case("a command the image does not have could not start", ["nosuchcommand"],
             .couldNotStart(containing: "the container's command could not be executed")),
        Case("network none by default: no route and no ping out",
             ["sh", "-c", "test -z \"$(ip route)\" && ! ping -c 1 -W 1 10.0.0.1"], .outcome(.exited(code: 0))),
        Case("network host has routes, so the check above can fail",
             ["sh", "-c", "test -n \"$(ip route)\""], .outcome(.exited(code: 0))) { $0.network = "host" },
        Case("a greedy process over a 16m memory limit is out of memory",
             ["dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1"], .outcome(.outOfMemory)) { $0.memory = "16m" },
        Case("the same process without a limit succeeds",
             ["dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1"], .outcome(.exited(code: 0))),
        Case("a SIGKILL without a memory limit is exit code 137, not out of memory",
             ["sh", "-c", "kill -9 $$"], .outcome(.exited(code: 137))),
        Case("workdir and user are applied",
             ["sh", "-c", "test \"$(pwd)\" = /tmp && test \"$(id -u)\" = 1000"], .outcome(.exited(code: 0))) {
            $0.workdir = "/tmp"
            $0.user = "1000"
        },
        Case("a cpu limit is accepted", ["true"], .outcome(.exited(code: 0))) { $0.cpus = 0.5 },
        Case("a missing image with pull never could not start, naming the image", ["true"],
             .couldNotStart(containing: "localhost/gnomon-no-such-image:latest"),
             logHolds: ["gnomon: could not start: podman could not create the container for image localhost/gnomon-no-such-image:latest"]) {
            $0.image = "localhost/gnomon-no-such-image:latest"
        },
        Case("an invalid memory value is the runtime's own error", ["true"],
             .couldNotStart(containing: "bogus")) { $0.memory = "bogus" },
        Case("a mount of a missing host folder could not start", ["true"],
             .couldNotStart(containing: "no-such-folder")) { $0.mounts = ["no-such-folder:/data"] },
        Case("a mount without a container path could not start", ["true"],
             .couldNotStart(containing: "write it as host:container")) { $0.mounts = ["data"] },
    ]

    @Test("outcome", arguments: cases)
    func outcome(_ testCase: Case) async throws {
        let executor = try await Podman.executor()
        let scratch = Scratch()
        defer { scratch.remove() }
        let tag = Tag.make("outcome")
        let starts = StartRecorder()
        let launch = containerLaunch(testCase.command, tag: tag, in: scratch, configure: testCase.configure)

        let outcome = await executor.run(launch) { starts.record($0) }

        let log = ProcessProbe.readText(launch.logPath) ?? ""
        switch testCase.expected {
        case .outcome(let expected):
            #expect(outcome == expected, "log:\n\(log)")
            #expect(starts.all.count == 1)
            #expect(starts.all.first?.reference == .container(tag), "the container's name is what finds it again")
        case .couldNotStart(let text):
            guard case .couldNotStart(let reason) = outcome else {
                Issue.record("expected could-not-start, got \(outcome); log:\n\(log)")
                return
            }
            #expect(reason.contains(text), "reason: \(reason)")
            #expect(log.contains("gnomon: could not start: \(reason)\n"), "log:\n\(log)")
        }
        for text in testCase.logHolds {
            #expect(log.contains(text), "log:\n\(log)")
        }
        #expect(try await Podman.containers(tagged: tag) == [])
    }

    @Test("environment and a relative mount are seen inside; the runtime's own environment is not")
    func environmentAndMount() async throws {
        let podman = try await Podman.executor().runtime
        var cliEnvironment = podman.environment
        cliEnvironment["GNOMON_TEST_CLI_ONLY"] = "for the runtime's CLI"
        let executor = ContainerExecutor(runtime: ContainerRuntime(executable: podman.executable, environment: cliEnvironment))
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.makeFolder("out")
        let tag = Tag.make("env")
        var launch = containerLaunch(
            ["sh", "-c", "echo \"$GREETING from $GNOMON_TASK\" > /out/greeting; env > /out/env; cat /in/note"],
            tag: tag, in: scratch
        ) {
            $0.env = ["GREETING": "hello world", "GNOMON_TASK": "overridden?"]
            $0.mounts = ["./out:/out", "\(scratch.path)/note.txt:/in/note:ro"]
        }
        launch.environment["MULTI"] = "line one\nline two"
        scratch.write("a note from the host\n", to: "note.txt")

        let outcome = await executor.run(launch) { _ in }

        #expect(outcome == .exited(code: 0), "log:\n\(ProcessProbe.readText(launch.logPath) ?? "")")
        #expect(ProcessProbe.readText(scratch.file("out/greeting")) == "hello world from t\n")
        let environment = ProcessProbe.readText(scratch.file("out/env")) ?? ""
        #expect(environment.contains("MULTI=line one\nline two\n"))
        #expect(environment.contains("GNOMON_TASK=t\n"))
        #expect(!environment.contains("GNOMON_TEST_CLI_ONLY"), "the runtime's environment leaked into the container")
        #expect(ProcessProbe.readText(launch.logPath) == "a note from the host\n")
        #expect(try await Podman.containers(tagged: tag) == [])
    }

    @Test("an existing log is never overwritten: the attempt could not start")
    func existingLog() async throws {
        let executor = try await Podman.executor()
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.write("earlier attempt\n", to: "attempt.log")
        let tag = Tag.make("log")
        let launch = containerLaunch(["true"], tag: tag, in: scratch)

        let outcome = await executor.run(launch) { _ in }

        #expect(outcome == .couldNotStart(reason:
            "log file \(launch.logPath) already exists; Gnomon never overwrites an attempt's log"))
        #expect(ProcessProbe.readText(launch.logPath) == "earlier attempt\n")
        #expect(try await Podman.containers(tagged: tag) == [])
    }

    @Test("the attached CLI killed: the container keeps running and its true exit code is collected")
    func cliKilled() async throws {
        let executor = try await Podman.executor()
        let scratch = Scratch()
        defer { scratch.remove() }
        let tag = Tag.make("cli-killed")
        let launch = containerLaunch(
            ["sh", "-c", "for i in 1 2 3; do echo tick $i; sleep 0.5; done; exit 5"], tag: tag, in: scratch)

        // Killed once the container runs (a kill before the start would leave it never started).
        let outcome = await executor.run(launch) { started in
            Task {
                #expect((try? await Podman.waitUntilRunning(tag: tag)) == true)
                killProcessGroup(started.pgid, signal: 9)
            }
        }

        #expect(outcome == .exited(code: 5))
        #expect(ProcessProbe.readText(launch.logPath)?.contains("tick 3\n") == true, "log:\n\(ProcessProbe.readText(launch.logPath) ?? "")")
        #expect(try await Podman.containers(tagged: tag) == [])
    }
}
