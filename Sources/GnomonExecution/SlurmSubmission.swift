import GnomonCore
import Glibc

/// One attempt's Slurm job: its token, name, wrapper script and `sbatch` command line.
///
/// The files sit beside the attempt's log (a folder the nodes share): `LOG.sbatch` is the
/// wrapper, `LOG.exit` the task's exit status written by it, `LOG.slurm` the job's id, node and
/// state as Gnomon last saw them (``SlurmStateFile``).
struct SlurmSubmission: Sendable {
    let launch: AttemptLaunch
    let spec: SlurmSpec

    init?(_ launch: AttemptLaunch) {
        guard case .slurm(let spec) = launch.action else { return nil }
        self.launch = launch
        self.spec = spec
    }

    /// The attempt's token, carried in the job's comment: unique to this attempt of this Gnomon
    /// home on the cluster, because log paths are never reused.
    var token: String { Self.token(logPath: launch.logPath) }

    static func token(logPath: String) -> String { "gnomon:" + logPath }

    /// The log's line (followed by the token) written before the job is submitted: recovery
    /// looks for the job of an attempt whose log has it but whose job id was never recorded.
    static let submittingLine = "gnomon: submitting to Slurm with token"

    /// `gnomon.TASK.N.HASH`: readable in `squeue`, and what `sacct` (which keeps no comment
    /// without slurmdbd) is matched by; the hash is the token's, so the name is this attempt's
    /// alone and follows from its log path.
    var jobName: String { Self.jobName(logPath: launch.logPath) }

    static func jobName(logPath: String) -> String {
        var base = logPath.split(separator: "/").last.map(String.init) ?? "attempt"
        if base.hasSuffix(".log") { base.removeLast(4) }
        // FNV-1a, 64 bits: stable across runs and machines (Swift's Hasher is seeded per process).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in token(logPath: logPath).utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "gnomon.\(base).\(String(repeating: "0", count: 16 - hex.count) + hex)"
    }

    var scriptPath: String { launch.logPath + ".sbatch" }
    static func exitPath(logPath: String) -> String { logPath + ".exit" }

    /// The wrapper: runs the task, writes its exit status to `LOG.exit` (atomically), exits with it.
    var script: String {
        let exit = Self.quote(Self.exitPath(logPath: launch.logPath))
        let run: String
        switch spec.program {
        case .shell(let line): run = "/bin/sh -c \(Self.quote(line))"
        case .command(let argv): run = argv.map(Self.quote).joined(separator: " ")
        }
        return """
            #!/bin/sh
            # Gnomon's wrapper for job \(launch.identity.job), run \(launch.identity.run), task \(launch.identity.task), attempt \(launch.identity.attempt).
            \(run)
            code=$?
            printf '%s\\n' "$code" > \(exit).tmp && mv -f \(exit).tmp \(exit)
            exit "$code"

            """
    }

    /// The `sbatch` arguments, the wrapper script last.
    var arguments: [String] {
        let options = spec.options
        var arguments = [
            "--parsable", "--no-requeue", "--job-name=\(jobName)", "--comment=\(token)",
            "--output=\(launch.logPath)", "--error=\(launch.logPath)", "--open-mode=append",
            "--chdir=\(launch.workingDirectory)", "--kill-on-invalid-dep=yes",
        ]
        if let cpus = options.cpus { arguments.append("--cpus-per-task=\(cpus)") }
        if let memory = options.memory { arguments.append("--mem=\(memory)") }
        if let gpus = options.gpus { arguments.append("--gpus=\(gpus)") }
        if let gres = options.gres { arguments.append("--gres=\(gres)") }
        if let qos = options.qos { arguments.append("--qos=\(qos)") }
        if let constraint = options.constraint { arguments.append("--constraint=\(constraint)") }
        if let partition = options.partition { arguments.append("--partition=\(partition)") }
        if let account = options.account { arguments.append("--account=\(account)") }
        if let minutes = options.timeLimitMinutes(taskTimeout: launch.timeout) { arguments.append("--time=\(minutes)") }
        return arguments + options.extra + [scriptPath]
    }

    /// The environment `sbatch` runs with, which the job inherits: the task's own, without the
    /// variables that would steer `sbatch` itself, plus `SLURM_CONF` from the configuration.
    func environment(_ configuration: SlurmConfiguration) -> [String: String] {
        var environment = launch.environment.filter { key, _ in
            !["SBATCH_", "SLURM_", "SALLOC_", "SRUN_"].contains { key.hasPrefix($0) }
        }
        if let conf = configuration.environment["SLURM_CONF"] { environment["SLURM_CONF"] = conf }
        if environment["PATH"] == nil, let path = configuration.environment["PATH"] { environment["PATH"] = path }
        return environment
    }

    /// Writes the wrapper script; the reason if it cannot.
    func writeScript() -> String? {
        let descriptor = open(scriptPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o755)
        guard descriptor >= 0 else {
            return "could not write the Slurm wrapper \(scriptPath): \(ErrnoText.describe(errno))"
        }
        DescriptorText.write(script, to: descriptor)
        close(descriptor)
        return nil
    }

    /// A word for /bin/sh, in single quotes.
    static func quote(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// The exit status the wrapper wrote, if it did.
    static func wrapperExit(logPath: String) -> Int32? {
        let text = ContainerExecutor.tail(of: exitPath(logPath: logPath), bytes: 64)
        return text.split(whereSeparator: { $0.isWhitespace }).first.flatMap { Int32($0) }
    }
}
