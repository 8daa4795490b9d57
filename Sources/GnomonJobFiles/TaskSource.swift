import GnomonCore

/// One task as read from a file, with the positions the graph check needs to point at.
struct TaskSource {
    /// A dependency as written, with its list entry's node.
    struct Dependency {
        let name: String
        let node: YAMLNode
        let path: String
    }

    let name: String
    let keyNode: YAMLNode
    let path: String
    var dependsOn: [Dependency] = []
    var after: [Dependency] = []
    /// `nil` until exactly one valid action has been read.
    var action: TaskAction?
    var settings = TaskSettings()
    /// The references to outputs in its fields, checked once every task is known.
    var references: [JobReader.ReferenceSite] = []
    /// `foreach`, once read without a problem; its reference, checked with the others.
    var foreach: ForeachSource?
    var foreachSite: JobReader.ReferenceSite?
    /// The task has a `foreach` key, valid or not: `${{ item }}` is allowed in it.
    var hasForeach = false
    var concurrency: Int?
    var foreachLimit: Int?

    /// The finished task, its settings merged over the job's defaults; `nil` without an action.
    func spec(defaults: TaskSettings) -> TaskSpec? {
        guard var action else { return nil }
        // A run or command task runs on Slurm when it, or the defaults, say slurm.
        if settings.slurm != nil || defaults.slurm != nil {
            let options = (settings.slurm ?? SlurmOptions()).merged(over: defaults.slurm ?? SlurmOptions())
            switch action {
            case .shell(let line): action = .slurm(SlurmSpec(program: .shell(line), options: options))
            case .command(let argv): action = .slurm(SlurmSpec(program: .command(argv), options: options))
            case .container, .slurm: break
            }
        }
        return TaskSpec(
            name: name,
            action: action,
            dependsOn: dependsOn.map(\.name),
            after: after.map(\.name),
            retry: settings.retry ?? defaults.retry ?? RetryPolicy(),
            timeout: settings.timeout ?? defaults.timeout,
            env: (defaults.env ?? [:]).merging(settings.env ?? [:]) { _, own in own },
            workdir: settings.workdir ?? defaults.workdir,
            logLimit: logLimit(defaults: defaults),
            foreach: foreach,
            concurrency: concurrency,
            foreachLimit: foreachLimit)
    }

    /// The task's log limit when it or `defaults` sets one; `nil` (the standard limit) otherwise.
    private func logLimit(defaults: TaskSettings) -> LogLimit? {
        let bytes = settings.logLimit ?? defaults.logLimit
        let action = settings.logLimitAction ?? defaults.logLimitAction
        guard bytes != nil || action != nil else { return nil }
        return LogLimit(bytes: bytes ?? LogLimit.standard.bytes, action: action ?? .truncate)
    }
}

/// The task settings `defaults` may also hold; `nil` where not set. A task's own value replaces
/// the default as a whole, except `env`, which merges variable by variable, and `slurm`, which
/// merges option by option (``SlurmOptions/merged(over:)``).
struct TaskSettings {
    var retry: RetryPolicy?
    var timeout: Duration?
    var env: [String: String]?
    var workdir: String?
    var logLimit: Int64?
    var logLimitAction: LogLimit.Action?
    var slurm: SlurmOptions?
}
