import Glibc
import GnomonExecution
import Synchronization
import Testing

/// The real podman and the test image that scripts/setup builds, for every suite that runs
/// containers (GnomonContainerTests, the daemon's container recovery tests).
///
/// Locally, a machine without them skips these tests with a loud message. In CI (`CI=true`) the
/// tests always run, so a missing runtime or image fails them instead of skipping silently.
public enum Podman {
    public static let image = "localhost/gnomon-test:latest"

    static var inCI: Bool {
        guard let value = getenv("CI").map({ String(cString: $0).lowercased() }) else { return false }
        return value == "true" || value == "1" || value == "yes"
    }

    public static let runtime: Result<ContainerRuntime, ContainerRuntimeProblem> =
        ContainerRuntime.detect(environment: HostEnvironment.current, override: "podman")

    /// Whether podman and the test image are here (nil) or what is missing; computed once.
    static let availability = Task<String?, Never> {
        switch runtime {
        case .failure(let problem):
            return problem.message
        case .success(let podman):
            let exists = try? await ProcessSpawner.shared.runCapturingOutput(
                [podman.executable, "image", "exists", image], environment: podman.environment)
            if exists?.status != .exited(code: 0) {
                return "the test image \(image) is missing; run scripts/setup to build it"
            }
            return nil
        }
    }

    private static let skipAnnounced = Atomic<Bool>(false)

    /// The trait condition: on in CI whatever happens, else only when podman and the image exist.
    static func enabled() async -> Bool {
        if inCI { return true }
        if let problem = await availability.value {
            guard !skipAnnounced.exchange(true, ordering: .relaxed) else { return false }
            let warning = "\n*** SKIPPING the container tests: \(problem). In CI (CI=true) they fail instead. ***\n"
            _ = Array(warning.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            return false
        }
        return true
    }

    /// Throws a failure that says what is missing when podman or the image is not here.
    public static func require() async throws {
        _ = try runtime.get()
        if let problem = await availability.value {
            throw ContainerRuntimeProblem(message: "container tests need podman and \(image): \(problem)")
        }
    }

    /// The executor, or a test failure that says what is missing.
    public static func executor() async throws -> ContainerExecutor {
        try await require()
        return ContainerExecutor(runtime: try runtime.get())
    }

    /// Runs `podman arguments...` to its end, from `/` as `ContainerCLI` runs it: conmon leaves
    /// a file `oom` in its working directory when a container is killed for memory, and from
    /// the tests' own directory that file landed in the checkout.
    @discardableResult
    public static func run(_ arguments: [String]) async throws -> CapturedOutput {
        let podman = try runtime.get()
        return try await ProcessSpawner.shared.runCapturingOutput(
            [podman.executable] + arguments, environment: podman.environment, workingDirectory: "/")
    }

    /// The names of the containers matching every `filters` entry (`label=k=v`, `name=...`):
    /// running ones only, or with `all` stopped ones too.
    public static func containers(filters: [String], all: Bool = true) async throws -> [String] {
        let arguments = ["ps"] + (all ? ["--all"] : []) + filters.flatMap { ["--filter", $0] } + ["--format", "{{.Names}}"]
        let output = try await run(arguments)
        #expect(output.status == .exited(code: 0), "podman \(arguments.joined(separator: " ")) failed: \(output.errorText)")
        return output.outputText.split(separator: "\n").map(String.init)
    }

    /// The names of every container, running or not, with the label `gnomon.test=tag`.
    public static func containers(tagged tag: String) async throws -> [String] {
        try await containers(filters: ["label=gnomon.test=\(tag)"])
    }

    /// Waits up to 10 s until a container tagged `tag` runs.
    public static func waitUntilRunning(tag: String) async throws -> Bool {
        for _ in 0..<100 {
            let running = try await containers(filters: ["label=gnomon.test=\(tag)"], all: false)
            if running.contains(where: { $0.contains(tag) }) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when podman and the test image exist, and always in CI.
    public static var needsPodman: Self {
        .enabled("needs podman and \(Podman.image) (scripts/setup); forced on in CI") { await Podman.enabled() }
    }
}
