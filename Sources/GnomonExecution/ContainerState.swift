import GnomonCore

/// What `inspect` says about a container, and the attempt outcome that follows from it.
struct ContainerState: Sendable, Hashable {
    /// The Go template given to `inspect --format`: one field per line, the free-text error last.
    static let inspectFormat = "{{.State.Status}}\n{{.State.ExitCode}}\n{{.State.OOMKilled}}\n{{.HostConfig.Memory}}\n{{.State.Error}}"

    /// `created`, `running`, `exited`... (podman and docker spell them in lower case).
    var status: String
    var exitCode: Int32
    /// The runtime's own out-of-memory flag. conmon does not set it on cgroup v1 hosts (measured
    /// with podman 4.3, runc and conmon 2.1.6), hence the inference in ``outcome(logTail:)``.
    var oomKilled: Bool
    /// The memory limit in bytes; 0 for none.
    var memoryLimit: Int64
    /// The runtime's error, when it failed to start the container's process.
    var error: String

    init(status: String, exitCode: Int32, oomKilled: Bool = false, memoryLimit: Int64 = 0, error: String = "") {
        self.status = status
        self.exitCode = exitCode
        self.oomKilled = oomKilled
        self.memoryLimit = memoryLimit
        self.error = error
    }

    /// Parses the output of ``inspectFormat``; nil if it does not have that shape.
    init?(inspectOutput: String) {
        let lines = inspectOutput.split(separator: "\n", maxSplits: 4, omittingEmptySubsequences: false)
        guard lines.count >= 4, let code = Int32(lines[1]), let memory = Int64(lines[3]) else { return nil }
        status = lines[0].lowercased()
        exitCode = code
        oomKilled = lines[2] == "true"
        memoryLimit = memory
        error = lines.count == 5 ? lines[4].trimmingCharacters(inSet: " \n") : ""
    }

    /// The container ran and ended.
    var hasEnded: Bool {
        ["exited", "stopped", "dead"].contains(status)
    }

    /// The container exists but its process never started.
    var neverStarted: Bool {
        ["created", "configured", "initialized"].contains(status)
    }

    /// The exit code the kernel's SIGKILL gives through the init process (128 + 9).
    static let killedCode: Int32 = 137

    /// How the attempt ended, for a container that ``hasEnded``.
    ///
    /// - The runtime's OOM flag, or an exit of 137 (SIGKILL) of a container with a memory limit,
    ///   is `.outOfMemory`. Only a kill Gnomon did not send reaches this function (a stop gives
    ///   `.timedOut` or `.cancelled` before), so a 137 under a limit is the kernel's OOM killer
    ///   unless someone ran `kill -9` by hand.
    /// - A runtime error with 125–127 (its own codes), or the init process's report that the
    ///   command could not be executed, is `.couldNotStart`: nothing of the task ran.
    /// - Anything else is the container's own exit code.
    /// - Parameter logTail: the end of the attempt's log, where the init process reports a
    ///   command it could not execute.
    func outcome(logTail: String) -> AttemptOutcome {
        if oomKilled || (exitCode == Self.killedCode && memoryLimit > 0) {
            return .outOfMemory
        }
        if !error.isEmpty && (125...127).contains(exitCode) {
            return .couldNotStart(reason: error)
        }
        if exitCode != 0, let line = Self.initExecFailure(in: logTail) {
            return .couldNotStart(reason: "the container's command could not be executed: \(line)")
        }
        return .exited(code: exitCode)
    }

    /// The last line of the tail in which podman's init (catatonit) or docker's (tini) says it
    /// could not execute the command.
    static func initExecFailure(in tail: String) -> String? {
        tail.split(whereSeparator: \.isNewline).last { line in
            (line.contains("catatonit") && line.contains("failed to exec pid1"))
                || (line.contains("tini") && line.contains("exec ") && line.contains(" failed"))
        }.map { $0.trimmingCharacters(inSet: " \t\r") }
    }
}
