import GnomonCore

/// Why a container launch is not valid; `reason` is the could-not-start text.
public struct ContainerLaunchProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }

    public init(reason: String) { self.reason = reason }
}

extension ContainerLaunch {
    /// The arguments of the runtime's `create` command for this attempt (without the
    /// executable): name, labels, `--init`, network, pull policy, environment, mounts, limits,
    /// then `--`, the image and the command.
    ///
    /// Everything is passed as separate arguments, never through a shell. Labels and variables
    /// are sorted, so the same launch always gives the same command line.
    /// - Parameter flavor: podman also gets `--log-driver passthrough`, so the container writes
    ///   straight into the log file, even after the attached CLI is gone.
    public func createArguments(flavor: ContainerRuntime.Flavor) -> Result<[String], ContainerLaunchProblem> {
        guard Self.isValidName(name) else {
            return .failure(ContainerLaunchProblem(reason:
                "container name \"\(name)\" is not valid: it must match [a-zA-Z0-9][a-zA-Z0-9_.-]*"))
        }
        guard !spec.image.isEmpty, !spec.image.hasPrefix("-") else {
            return .failure(ContainerLaunchProblem(reason: "container image \"\(spec.image)\" is not a valid image reference"))
        }
        guard !spec.network.isEmpty else {
            return .failure(ContainerLaunchProblem(reason: "container network is empty; use none, host or a network's name"))
        }
        var arguments = ["create", "--name", name, "--init", "--network", spec.network, "--pull", spec.pull.rawValue]
        if flavor == .podman {
            arguments += ["--log-driver", "passthrough"]
        }
        for key in labels.keys.sorted() {
            arguments += ["--label", "\(key)=\(labels[key]!)"]
        }
        let variables = containerEnvironment
        for key in variables.keys.sorted() {
            guard !key.isEmpty, !key.contains("=") else {
                return .failure(ContainerLaunchProblem(reason:
                    "environment variable name \"\(key)\" is not valid: it must be non-empty and hold no \"=\""))
            }
            arguments += ["--env", "\(key)=\(variables[key]!)"]
        }
        for mount in spec.mounts {
            switch Self.resolveMount(mount, hostDirectory: hostDirectory) {
            case .success(let volume): arguments += ["--volume", volume]
            case .failure(let problem): return .failure(problem)
            }
        }
        // The attempt's own files; a host path holding ":" could not be told from the options.
        for (host, inside, options) in [(outputPath, AttemptFiles.containerOutputPath, ""),
                                        (inputsPath, AttemptFiles.containerInputsPath, ":ro")] {
            guard let host else { continue }
            guard !host.contains(":") else {
                return .failure(ContainerLaunchProblem(reason:
                    "the attempt's file \(host) cannot be mounted: its path holds \":\"; choose a GNOMON_HOME without one"))
            }
            arguments += ["--volume", "\(host):\(inside)\(options)"]
        }
        if let workdir = spec.workdir { arguments += ["--workdir", workdir] }
        if let user = spec.user { arguments += ["--user", user] }
        if let cpus = spec.cpus {
            guard cpus > 0, cpus.isFinite else {
                return .failure(ContainerLaunchProblem(reason: "container cpus must be above 0 (got \(cpus))"))
            }
            arguments += ["--cpus", "\(cpus)"]
        }
        if let memory = spec.memory { arguments += ["--memory", memory] }
        arguments += ["--", spec.image]
        arguments += spec.command ?? []
        return .success(arguments)
    }

    /// The variables the container gets: ``environment``, then ``ContainerSpec/env`` over it,
    /// except that the `GNOMON_*` variables of ``environment`` always win.
    public var containerEnvironment: [String: String] {
        var merged = environment
        for (key, value) in spec.env where !(key.hasPrefix("GNOMON_") && environment[key] != nil) {
            merged[key] = value
        }
        return merged
    }

    /// `host:container[:options]` with the host side joined to `hostDirectory` by ``PathJoin``.
    static func resolveMount(_ mount: String, hostDirectory: String) -> Result<String, ContainerLaunchProblem> {
        let parts = mount.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            return .failure(ContainerLaunchProblem(reason:
                "mount \"\(mount)\" is not valid: write it as host:container or host:container:options, for example ./data:/data:ro"))
        }
        guard parts[1].hasPrefix("/") else {
            return .failure(ContainerLaunchProblem(reason:
                "mount \"\(mount)\" is not valid: the container path \"\(parts[1])\" must be absolute"))
        }
        if !parts[0].hasPrefix("/") && !hostDirectory.hasPrefix("/") {
            return .failure(ContainerLaunchProblem(reason:
                "mount \"\(mount)\" has a relative host path, but the job's folder \"\(hostDirectory)\" is not absolute"))
        }
        let host = PathJoin.join(hostDirectory, parts[0])
        return .success(([host] + parts.dropFirst()).joined(separator: ":"))
    }
}
