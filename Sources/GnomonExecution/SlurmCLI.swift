import GnomonCore
import Glibc

/// How Gnomon reaches a Slurm cluster: where its commands are and the environment they run with.
public struct SlurmConfiguration: Sendable, Hashable {
    /// The environment `sbatch`, `squeue`, `sacct` and `scancel` run with: the daemon's, with
    /// `SLURM_CONF` set when the settings file names one.
    public var environment: [String: String]
    /// The folder of Slurm's commands; `nil` looks them up in the `PATH` of ``environment``.
    public var commandFolder: String?
    /// How often one `squeue` asks about every active job (doubled while nothing changes, up to
    /// ``maximumPollInterval``).
    public var pollInterval: Duration
    public var maximumPollInterval: Duration

    public init(
        environment: [String: String], slurmConf: String? = nil, commandFolder: String? = nil,
        pollInterval: Duration = .seconds(1), maximumPollInterval: Duration = .seconds(8)
    ) {
        var environment = environment
        if let slurmConf { environment["SLURM_CONF"] = slurmConf }
        self.environment = environment
        self.commandFolder = commandFolder
        self.pollInterval = pollInterval
        self.maximumPollInterval = max(pollInterval, maximumPollInterval)
    }

    /// The argv[0] of one of Slurm's commands.
    func command(_ name: String) -> String {
        commandFolder.map { PathJoin.join($0, name) } ?? name
    }
}

/// Runs Slurm's commands through the one spawner; a command that cannot run or fails is a
/// ``SlurmCLI/Failure``, never an outcome of a task.
struct SlurmCLI: Sendable {
    let configuration: SlurmConfiguration

    struct Failure: Error, Sendable {
        var message: String
    }

    /// Runs `name arguments...` and returns what it printed, or why it failed.
    func run(_ name: String, _ arguments: [String]) async -> Result<CapturedOutput, Failure> {
        let argv = [configuration.command(name)] + arguments
        do {
            let output = try await ProcessSpawner.shared.runCapturingOutput(
                argv, environment: configuration.environment, killGrace: .seconds(2))
            return .success(output)
        } catch {
            return .failure(Failure(message: "could not run \(name): \(error.message)"))
        }
    }

    /// The first line Slurm wrote to standard error, or the exit status.
    static func message(of output: CapturedOutput) -> String {
        let text = output.errorText.split(separator: "\n").first.map(String.init) ?? ""
        return text.isEmpty ? "it ended with \(output.status)" : text
    }
}

/// One job as `squeue` or `sacct` reports it.
struct SlurmJobReport: Sendable, Hashable {
    var id: String
    /// `PENDING`, `RUNNING`, `COMPLETED`, `CANCELLED by 0`, ...
    var state: String
    var node: String
    /// Why it pends (`Priority`, `Resources`, `JobHeldUser`), or `None`.
    var reason: String
    /// Slurm's `code:signal`, when known (sacct and scontrol give it, squeue does not).
    var exitCode: String?

    /// The first word of the state: `CANCELLED by 0` is `CANCELLED`.
    var baseState: String { String(state.split(separator: " ").first ?? "") }

    var isFinished: Bool { Self.finishedStates.contains(baseState) }

    static let finishedStates: Set<String> = [
        "COMPLETED", "FAILED", "TIMEOUT", "DEADLINE", "OUT_OF_MEMORY", "CANCELLED", "NODE_FAIL", "BOOT_FAIL",
        "PREEMPTED", "REVOKED", "SPECIAL_EXIT",
    ]

    /// One line for the attempt's log and for `gnomon show`: `RUNNING on vm`, `PENDING (Priority)`.
    var summary: String {
        var text = state
        if !node.isEmpty && node != "(null)" && baseState != "PENDING" { text += " on \(node)" }
        if !reason.isEmpty && reason != "None" && !isFinished { text += " (\(reason))" }
        return text
    }
}
