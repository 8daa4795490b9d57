import GnomonExecution
import GnomonTesting
import Testing

/// Choosing podman or docker, and the message when neither is there. No runtime is run.
@Suite("Container runtime selection")
struct ContainerRuntimeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// Fake runtimes: folder (`a` or `b`) and file name.
        let fakes: [String]
        /// PATH, with `{a}` and `{b}` standing for the fake folders; nil for none.
        let path: String?
        let variable: String?
        let override: String?
        /// The chosen executable (`{a}/podman`), or a message with `{a}`/`{b}` for the folders.
        let expected: Result<String, ContainerRuntimeProblem>
        var testDescription: String { name }

        init(_ name: String, fakes: [String] = ["a/podman", "b/docker"], path: String? = "{a}:{b}",
             variable: String? = nil, override: String? = nil, chooses: String) {
            self.name = name
            self.fakes = fakes
            self.path = path
            self.variable = variable
            self.override = override
            self.expected = .success(chooses)
        }

        init(_ name: String, fakes: [String] = ["a/podman", "b/docker"], path: String? = "{a}:{b}",
             variable: String? = nil, override: String? = nil, fails: String) {
            self.name = name
            self.fakes = fakes
            self.path = path
            self.variable = variable
            self.override = override
            self.expected = .failure(ContainerRuntimeProblem(message: fails))
        }
    }

    static let cases: [Case] = [
        Case("podman in PATH is preferred", chooses: "{a}/podman"),
        Case("podman is preferred even later in PATH", path: "{b}:{a}", chooses: "{a}/podman"),
        Case("docker when podman is missing", fakes: ["b/docker"], chooses: "{b}/docker"),
        Case("GNOMON_CONTAINER_RUNTIME names docker", variable: "docker", chooses: "{b}/docker"),
        Case("GNOMON_CONTAINER_RUNTIME gives a path", path: "{b}", variable: "{a}/podman", chooses: "{a}/podman"),
        Case("the override wins over GNOMON_CONTAINER_RUNTIME", variable: "podman", override: "docker", chooses: "{b}/docker"),
        Case("neither in PATH", fakes: [], path: "{a}:{b}", fails:
             "no container runtime found: neither podman nor docker is in PATH ({a}:{b}); "
             + "install podman (apt-get install podman runc) or set GNOMON_CONTAINER_RUNTIME to the path of podman or docker"),
        Case("no PATH at all", path: nil, fails:
             "no container runtime found: neither podman nor docker can be looked up (PATH is not set); "
             + "install podman (apt-get install podman runc) or set GNOMON_CONTAINER_RUNTIME to the path of podman or docker"),
        Case("GNOMON_CONTAINER_RUNTIME names a missing program", variable: "nerdctl", fails:
             "the container runtime \"nerdctl\" that is set in GNOMON_CONTAINER_RUNTIME cannot be used: "
             + "command \"nerdctl\" not found in PATH ({a}:{b}); set GNOMON_CONTAINER_RUNTIME to podman, docker or the full path of one"),
        Case("an override path to nothing", override: "/nonexistent/podman", fails:
             "the container runtime \"/nonexistent/podman\" that was asked for cannot be used: "
             + "command \"/nonexistent/podman\" does not exist; set GNOMON_CONTAINER_RUNTIME to podman, docker or the full path of one"),
    ]

    @Test("detect", arguments: cases)
    func detect(_ testCase: Case) async {
        let scratch = Scratch()
        defer { scratch.remove() }
        scratch.makeFolder("a")
        scratch.makeFolder("b")
        for fake in testCase.fakes {
            scratch.write("#!/bin/sh\nexit 0\n", to: fake, mode: 0o755)
        }
        func real(_ text: String) -> String {
            text.replacing("{a}", with: scratch.file("a")).replacing("{b}", with: scratch.file("b"))
        }
        var environment = ["HOME": "/root"]
        environment["PATH"] = testCase.path.map(real)
        environment["GNOMON_CONTAINER_RUNTIME"] = testCase.variable.map(real)

        let result = ContainerRuntime.detect(environment: environment, override: testCase.override.map(real))

        switch testCase.expected {
        case .success(let path):
            let runtime = try? result.get()
            #expect(runtime?.executable == real(path))
            #expect(runtime?.environment == environment)
        case .failure(let problem):
            #expect(result == .failure(ContainerRuntimeProblem(message: real(problem.message))))
        }
    }

    @Test("the flavor follows the file name", arguments: [
        ("/usr/bin/podman", ContainerRuntime.Flavor.podman),
        ("/usr/local/bin/podman-remote", .podman),
        ("/usr/bin/docker", .docker),
        ("/opt/bin/nerdctl", .docker),
    ])
    func flavor(_ path: String, _ flavor: ContainerRuntime.Flavor) {
        #expect(ContainerRuntime(executable: path, environment: [:]).flavor == flavor)
    }
}
