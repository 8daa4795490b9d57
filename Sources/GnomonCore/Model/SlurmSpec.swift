/// A task that runs as a Slurm batch job: what it runs and what it asks the cluster for.
public struct SlurmSpec: Sendable, Hashable, Codable {
    /// What the job runs on its node.
    public enum Program: Sendable, Hashable, Codable {
        /// A shell line, run by `/bin/sh -c` on the node.
        case shell(String)
        /// An argv, executed on the node with a PATH lookup and no shell.
        case command([String])
    }

    public var program: Program
    public var options: SlurmOptions

    public init(program: Program, options: SlurmOptions = SlurmOptions()) {
        self.program = program
        self.options = options
    }
}

/// What a Slurm task asks the cluster for (`slurm:` on a task or in `defaults`); `nil` where
/// unset, so Slurm's own defaults apply.
public struct SlurmOptions: Sendable, Hashable, Codable {
    /// `--cpus-per-task`.
    public var cpus: Int?
    /// `--mem`, as Slurm takes it (`32g`, `512m`).
    public var memory: String?
    /// `--gpus`.
    public var gpus: Int?
    /// `--gres`, for example `gpu:a100:1`.
    public var gres: String?
    public var qos: String?
    public var constraint: String?
    public var partition: String?
    public var account: String?
    /// `--time`, Slurm's own limit; `nil` means the task's timeout plus ``timeMargin`` (or none).
    public var time: Duration?
    /// Further `sbatch` options, passed as they are; never one that Gnomon sets itself.
    public var extra: [String]

    public init(
        cpus: Int? = nil, memory: String? = nil, gpus: Int? = nil, gres: String? = nil, qos: String? = nil,
        constraint: String? = nil, partition: String? = nil, account: String? = nil, time: Duration? = nil,
        extra: [String] = []
    ) {
        self.cpus = cpus
        self.memory = memory
        self.gpus = gpus
        self.gres = gres
        self.qos = qos
        self.constraint = constraint
        self.partition = partition
        self.account = account
        self.time = time
        self.extra = extra
    }

    /// These options over `defaults`: each option set here replaces the default; `extra` is the
    /// defaults' followed by these.
    public func merged(over defaults: SlurmOptions) -> SlurmOptions {
        SlurmOptions(
            cpus: cpus ?? defaults.cpus, memory: memory ?? defaults.memory, gpus: gpus ?? defaults.gpus,
            gres: gres ?? defaults.gres, qos: qos ?? defaults.qos, constraint: constraint ?? defaults.constraint,
            partition: partition ?? defaults.partition, account: account ?? defaults.account,
            time: time ?? defaults.time, extra: defaults.extra + extra)
    }

    /// Added to a task's timeout to make Slurm's `--time` when `time` is not given: Gnomon's own
    /// timer stops the job first (TERM, grace, KILL), and Slurm's limit only backs it up.
    public static let timeMargin = Duration.seconds(5 * 60)

    /// The `--time` value for a task with `timeout`: whole minutes, rounded up (Slurm counts in
    /// minutes); `nil` for no limit.
    public func timeLimitMinutes(taskTimeout: Duration?) -> Int? {
        guard let limit = time ?? taskTimeout.map({ $0 + Self.timeMargin }) else { return nil }
        let seconds = max(1, limit.components.seconds + (limit.components.attoseconds > 0 ? 1 : 0))
        return Int((seconds + 59) / 60)
    }
}

/// An `sbatch` option that Gnomon sets itself, so a job file's `extra` may not.
public struct OwnedSlurmOption: Sendable, Hashable {
    /// The long form, `--job-name`.
    public var long: String
    /// The short form, `-J`, if any.
    public var short: String?
    /// What to write instead.
    public var remedy: String

    /// Every option Gnomon sets, or that would change how it finds and reads its job.
    public static let all: [OwnedSlurmOption] = {
        let gnomon = "Gnomon sets it for every attempt"
        func owned(_ long: String, _ short: String? = nil, _ remedy: String) -> OwnedSlurmOption {
            OwnedSlurmOption(long: long, short: short, remedy: remedy)
        }
        return [
            owned("--job-name", "-J", gnomon), owned("--output", "-o", gnomon + " (the attempt's log)"),
            owned("--error", "-e", gnomon + " (the attempt's log)"), owned("--input", "-i", gnomon),
            owned("--chdir", "-D", "use the task's workdir"), owned("--parsable", nil, gnomon),
            owned("--wrap", nil, "use run or command"), owned("--array", "-a", "Gnomon submits one job per attempt"),
            owned("--requeue", nil, "Gnomon retries lost attempts itself; use retry"),
            owned("--no-requeue", nil, gnomon), owned("--comment", nil, gnomon + " (it carries the attempt's token)"),
            owned("--export", nil, "use env"), owned("--export-file", nil, "use env"),
            owned("--open-mode", nil, gnomon), owned("--wait", "-W", gnomon), owned("--hold", "-H", gnomon),
            owned("--dependency", "-d", "use depends_on"), owned("--kill-on-invalid-dep", nil, gnomon),
            owned("--time", "-t", "use slurm.time"), owned("--cpus-per-task", "-c", "use slurm.cpus"),
            owned("--mem", nil, "use slurm.memory"), owned("--gpus", "-G", "use slurm.gpus"),
            owned("--gres", nil, "use slurm.gres"), owned("--qos", "-q", "use slurm.qos"),
            owned("--constraint", "-C", "use slurm.constraint"), owned("--partition", "-p", "use slurm.partition"),
            owned("--account", "-A", "use slurm.account"),
        ]
    }()

    /// The owned option an `extra` argument sets (`--output=x`, `-o`, `-ox`), if any.
    public static func owner(of argument: String) -> OwnedSlurmOption? {
        all.first { option in
            if argument == option.long || argument.hasPrefix(option.long + "=") { return true }
            guard let short = option.short else { return false }
            return argument == short || (argument.hasPrefix(short) && !argument.hasPrefix("--"))
        }
    }
}
