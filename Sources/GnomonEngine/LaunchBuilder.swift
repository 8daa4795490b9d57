import Foundation
import GnomonCore
import GnomonExecution

/// Builds the launch of each attempt of one run: its identity, environment, working directory,
/// log path, deadline and kill grace. Which executor runs it follows from the task's action.
public struct LaunchBuilder: Sendable {
    public let job: JobSpec
    public let runID: Int64
    public let scheduledAt: Date
    /// `--param` values, given to every task as `GNOMON_PARAM_*`.
    public let params: [String: String]
    public let settings: EngineSettings

    public init(job: JobSpec, runID: Int64, scheduledAt: Date, params: [String: String], settings: EngineSettings) {
        self.job = job
        self.runID = runID
        self.scheduledAt = scheduledAt
        self.params = params
        self.settings = settings
    }

    /// The launch of attempt `attempt` of `task`, its references to upstream outputs resolved
    /// (``OutputReferences/resolve(_:outputs:item:)``); the unresolved reference when an
    /// upstream task did not publish the output it names.
    ///
    /// - Parameters:
    ///   - outputs: the outputs of each upstream task that succeeded in this run.
    ///   - item: for an instance of a foreach task, its index and item: `${{ item }}` resolves to
    ///     it, and it is given as `GNOMON_ITEM` and `GNOMON_ITEM_INDEX` (set after the references
    ///     are resolved, so an item's text is never read as a reference).
    public func launch(
        _ task: TaskSpec, attempt: Int, outputs: [String: [String: String]], item: (index: Int, text: String)? = nil
    ) -> Result<AttemptLaunch, OutputReferences.Unresolved> {
        OutputReferences.resolve(task, outputs: outputs, item: item?.text).map { resolved in
            var resolved = resolved
            if let item {
                resolved.env["GNOMON_ITEM"] = item.text
                resolved.env["GNOMON_ITEM_INDEX"] = String(item.index)
            }
            func publishedAny(_ names: [String]) -> Bool { names.contains { !(outputs[$0]?.isEmpty ?? true) } }
            let published = publishedAny(task.dependsOn) || publishedAny(task.after)
            return launch(resolved, attempt: attempt, inputs: published ? .own : .runEmpty)
        }
    }

    /// Which file `GNOMON_INPUTS` names for an attempt of a task with upstream tasks.
    public enum Inputs: Sendable, Hashable {
        /// The attempt's own inputs file (``AttemptFiles/inputsPath(logPath:)``): some upstream
        /// task published outputs.
        case own
        /// The run's one empty inputs file (``AttemptFiles/emptyInputsPath(logPath:)``): no
        /// upstream task published an output.
        case runEmpty
    }

    /// The launch of attempt `attempt` of `task`, whose fields are used as written.
    ///
    /// - A local task (`run:`, `command:`) gets the runner's environment, then the task's `env`,
    ///   then Gnomon's variables; it starts in its `workdir` joined to the job file's folder.
    /// - A container sees only the task's `env` and Gnomon's variables, never the host's; its
    ///   launch works from the job file's folder, which the relative host paths of its mounts
    ///   are taken from (the task's `workdir` does not apply: the container's own `workdir` is a
    ///   path inside it).
    /// - A Slurm job is given what a local task is (the runner's environment, the task's `env`,
    ///   Gnomon's variables; its `workdir`): the nodes share the job's folders.
    /// - Every attempt gets `GNOMON_OUTPUT`, the path of its own output file beside its log (in a
    ///   container, where that file is mounted); a task with upstream tasks also gets
    ///   `GNOMON_INPUTS`, the path of the JSON file of their outputs (written by the engine):
    ///   its own, or with `inputs: .runEmpty` the run's empty one.
    public func launch(_ task: TaskSpec, attempt: Int, inputs: Inputs = .own) -> AttemptLaunch {
        let base: [String: String], workingDirectory: String
        switch task.action {
        case .shell, .command, .slurm:
            (base, workingDirectory) = (settings.baseEnvironment, AttemptEnvironment.workingDirectory(job: job, task: task))
        case .container:
            (base, workingDirectory) = ([:], job.directory)
        }
        var environment = AttemptEnvironment.make(
            base: base, job: job, task: task, runID: runID, attempt: attempt, scheduledAt: scheduledAt, params: params)
        let logPath = logPath(task: task.name, attempt: attempt)
        let outputPath = AttemptFiles.outputPath(logPath: logPath)
        // Only a task with upstream tasks has inputs.
        let inputsPath = task.dependsOn.isEmpty && task.after.isEmpty ? nil
            : inputs == .own ? AttemptFiles.inputsPath(logPath: logPath) : AttemptFiles.emptyInputsPath(logPath: logPath)
        let inContainer = task.action.executorKind == .container
        environment["GNOMON_OUTPUT"] = inContainer ? AttemptFiles.containerOutputPath : outputPath
        if let inputsPath { environment["GNOMON_INPUTS"] = inContainer ? AttemptFiles.containerInputsPath : inputsPath }
        return AttemptLaunch(
            identity: AttemptIdentity(job: job.name, run: runID, task: task.name, attempt: attempt),
            action: task.action,
            environment: environment,
            workingDirectory: workingDirectory,
            workingDirectoryKey: task.action.executorKind != .container && task.workdir != nil ? "tasks.\(task.name).workdir" : nil,
            logPath: logPath,
            timeout: task.timeout,
            killGrace: settings.killGrace,
            logLimit: task.effectiveLogLimit,
            outputPath: outputPath,
            inputsPath: inputsPath)
    }

    /// Where the attempt's output is written.
    public func logPath(task: String, attempt: Int) -> String {
        settings.logPath(job: job.name, run: runID, task: task, attempt: attempt)
    }
}
