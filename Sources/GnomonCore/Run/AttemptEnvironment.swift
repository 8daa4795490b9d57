import Foundation

/// The environment and command line of one attempt, decided from the job, the task and the run.
public enum AttemptEnvironment {
    /// The child's environment: the runner's own, then the task's `env` (job defaults already
    /// merged in by the loader), then Gnomon's variables, which always win.
    public static func make(
        base: [String: String], job: JobSpec, task: TaskSpec, runID: Int64, attempt: Int,
        scheduledAt: Date, params: [String: String]
    ) -> [String: String] {
        var env = base
        env.merge(task.env) { _, new in new }
        env["GNOMON_JOB"] = job.name
        env["GNOMON_RUN_ID"] = String(runID)
        env["GNOMON_TASK"] = task.name
        env["GNOMON_ATTEMPT"] = String(attempt)
        env["GNOMON_SCHEDULED_TIME"] = ISOTime.utc(scheduledAt)
        for (key, value) in params { env["GNOMON_PARAM_\(paramKey(key))"] = value }
        return env
    }

    /// `--param` keys as environment names: upper case, anything but letters, digits and `_`
    /// turned into `_` (`batch-size` becomes `GNOMON_PARAM_BATCH_SIZE`).
    public static func paramKey(_ key: String) -> String {
        String(key.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// The argv of a local task: `/bin/sh -c LINE` for `run:`, the argv itself for `command:`.
    /// `nil` for a container or Slurm task.
    public static func argv(for action: TaskAction) -> [String]? {
        switch action {
        case .shell(let line): return ["/bin/sh", "-c", line]
        case .command(let argv): return argv
        case .container, .slurm: return nil
        }
    }

    /// A task's working directory: `workdir` joined to the job file's folder with ``PathJoin``
    /// (the job file's folder itself when the task has none).
    public static func workingDirectory(job: JobSpec, task: TaskSpec) -> String {
        PathJoin.join(job.directory, task.workdir ?? "")
    }
}
