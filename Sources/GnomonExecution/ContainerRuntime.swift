import Glibc

/// The container runtime CLI Gnomon drives: podman or docker (or a program compatible with one).
public struct ContainerRuntime: Sendable, Hashable {
    /// Which CLI dialect the runtime speaks.
    public enum Flavor: String, Sendable, Hashable {
        /// podman: the container's output is passed straight to the log (`--log-driver passthrough`).
        case podman
        /// docker and compatible CLIs: the output goes through the attached CLI.
        case docker
    }

    /// The absolute path of the runtime's executable.
    public let executable: String
    /// The environment the runtime's CLI runs with (the daemon's own: `PATH`, `HOME`,
    /// `XDG_RUNTIME_DIR`, `DOCKER_HOST`...). Containers never see it.
    public let environment: [String: String]

    /// A runtime at a known path; the flavor follows from the file name (`podman*` is podman,
    /// anything else is treated as docker).
    public init(executable: String, environment: [String: String]) {
        self.executable = executable
        self.environment = environment
    }

    /// The executable's file name, for messages: `podman`, `docker`.
    public var name: String {
        executable.split(separator: "/").last.map(String.init) ?? executable
    }

    public var flavor: Flavor {
        name.hasPrefix("podman") ? .podman : .docker
    }

    /// Chooses the runtime: `override` if given, else `GNOMON_CONTAINER_RUNTIME` from
    /// `environment` (a name looked up in its `PATH`, or a path), else `podman` if it is in
    /// `PATH`, else `docker`.
    /// - Parameter environment: the daemon's environment; the chosen runtime's CLI runs with it.
    public static func detect(
        environment: [String: String], override: String?
    ) -> Result<ContainerRuntime, ContainerRuntimeProblem> {
        let resolver = CommandResolver()
        let directory = currentDirectory()
        let chosen: (value: String, origin: String)?
        if let override, !override.isEmpty {
            chosen = (override, "was asked for")
        } else if let variable = environment["GNOMON_CONTAINER_RUNTIME"], !variable.isEmpty {
            chosen = (variable, "is set in GNOMON_CONTAINER_RUNTIME")
        } else {
            chosen = nil
        }
        if let chosen {
            switch resolver.resolve(chosen.value, environment: environment, workingDirectory: directory) {
            case .success(let path):
                return .success(ContainerRuntime(executable: path, environment: environment))
            case .failure(let problem):
                return .failure(ContainerRuntimeProblem(message:
                    "the container runtime \"\(chosen.value)\" that \(chosen.origin) cannot be used: \(problem.reason); "
                    + "set GNOMON_CONTAINER_RUNTIME to podman, docker or the full path of one"))
            }
        }
        for candidate in ["podman", "docker"] {
            if case .success(let path) = resolver.resolve(candidate, environment: environment, workingDirectory: directory) {
                return .success(ContainerRuntime(executable: path, environment: environment))
            }
        }
        let searched = environment["PATH"].map { "is in PATH (\($0))" } ?? "can be looked up (PATH is not set)"
        return .failure(ContainerRuntimeProblem(message:
            "no container runtime found: neither podman nor docker \(searched); "
            + "install podman (apt-get install podman runc) or set GNOMON_CONTAINER_RUNTIME to the path of podman or docker"))
    }

    private static func currentDirectory() -> String {
        guard let pointer = getcwd(nil, 0) else { return "/" }
        defer { free(pointer) }
        return String(cString: pointer)
    }
}

/// No usable container runtime; `message` says why and how to fix it.
public struct ContainerRuntimeProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public init(message: String) { self.message = message }
}
