import GnomonCore

/// Everything needed to run one attempt of a `container:` task.
///
/// Made from an ``AttemptLaunch`` by ``init(_:)``: every field follows from it. The executor
/// turns it into one `create` command line of the runtime (see ``createArguments(flavor:)``) and
/// adds only what Docs/containers.md lists.
public struct ContainerLaunch: Sendable, Hashable {
    /// The task's container settings from the job file.
    public var spec: ContainerSpec
    /// The container's name, unique per attempt and deterministic, so an attempt can be found
    /// again after a crash. Make it with ``containerName(job:run:task:attempt:)``.
    public var name: String
    /// Labels put on the container: `gnomon.job`, `gnomon.run`, `gnomon.task`, `gnomon.attempt`.
    public var labels: [String: String]
    /// The task's environment and the `GNOMON_*` variables, not the daemon's own environment.
    /// ``ContainerSpec/env`` is applied over it, except that `GNOMON_*` variables stay as given here.
    public var environment: [String: String]
    /// The job file's folder; relative host paths of mounts are resolved against it.
    public var hostDirectory: String
    /// The absolute path of the attempt's log; created by the executor, never overwritten.
    public var logPath: String
    /// The attempt's deadline, counted from the first runtime command of the attempt (so an
    /// image pull counts); `nil` for none.
    public var timeout: Duration?
    /// How long the container's processes have between SIGTERM and SIGKILL when it is stopped.
    public var killGrace: Duration
    /// How large the attempt's log may grow, and what happens past it.
    public var logLimit: LogLimit
    /// The host path of the attempt's output file, created empty before the container and
    /// mounted at ``AttemptFiles/containerOutputPath``; `nil` for none.
    public var outputPath: String?
    /// The host path of the attempt's inputs file, mounted read-only at
    /// ``AttemptFiles/containerInputsPath``; `nil` for none.
    public var inputsPath: String?

    public init(
        spec: ContainerSpec,
        name: String,
        labels: [String: String] = [:],
        environment: [String: String] = [:],
        hostDirectory: String,
        logPath: String,
        timeout: Duration? = nil,
        killGrace: Duration = .seconds(10),
        logLimit: LogLimit = .standard,
        outputPath: String? = nil,
        inputsPath: String? = nil
    ) {
        self.spec = spec
        self.name = name
        self.labels = labels
        self.environment = environment
        self.hostDirectory = hostDirectory
        self.logPath = logPath
        self.timeout = timeout
        self.killGrace = killGrace
        self.logLimit = logLimit
        self.outputPath = outputPath
        self.inputsPath = inputsPath
    }

    /// The container launch of an attempt of a `container:` task (`nil` for any other action):
    /// named ``containerName(job:run:task:attempt:)`` and labelled `gnomon.job`, `gnomon.run`,
    /// `gnomon.task` and `gnomon.attempt` after the attempt's identity; relative mount host
    /// paths taken from the launch's working directory.
    public init?(_ launch: AttemptLaunch) {
        guard case .container(let spec) = launch.action else { return nil }
        let identity = launch.identity
        self.init(
            spec: spec,
            name: Self.containerName(job: identity.job, run: String(identity.run), task: identity.task, attempt: identity.attempt),
            labels: [
                "gnomon.job": identity.job, "gnomon.run": String(identity.run),
                "gnomon.task": identity.task, "gnomon.attempt": String(identity.attempt),
            ],
            environment: launch.environment, hostDirectory: launch.workingDirectory, logPath: launch.logPath,
            timeout: launch.timeout, killGrace: launch.killGrace, logLimit: launch.logLimit,
            outputPath: launch.outputPath, inputsPath: launch.inputsPath)
    }

    /// The conventional container name of an attempt: `gnomon-JOB-RUN-TASK-ATTEMPT`, with every
    /// character outside `[a-zA-Z0-9_.-]` replaced by `_` (the runtimes accept nothing else).
    public static func containerName(job: String, run: String, task: String, attempt: Int) -> String {
        sanitize("gnomon-\(job)-\(run)-\(task)-\(attempt)")
    }

    /// `text` with every character a container name may not hold replaced by `_`, and an `x`
    /// in front if it does not start with a letter or digit.
    public static func sanitize(_ text: String) -> String {
        var name = String(text.unicodeScalars.map { isNameCharacter($0) ? Character($0) : "_" })
        if name.unicodeScalars.first.map(isLetterOrDigit) != true { name = "x" + name }
        return name
    }

    /// Whether `name` is a name podman and docker accept: `[a-zA-Z0-9][a-zA-Z0-9_.-]*`.
    public static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, isLetterOrDigit(first) else { return false }
        return name.unicodeScalars.allSatisfy(isNameCharacter)
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9": return true
        default: return false
        }
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isLetterOrDigit(scalar) || scalar == "_" || scalar == "." || scalar == "-"
    }
}
