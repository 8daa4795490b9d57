import ArgumentParser
import GnomonApp

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run one run of a job in the foreground, to its end.",
        discussion: "Exit code 0 when the run succeeded, 1 when it failed, 5 when cancelled (Ctrl-C or gnomon kill).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job.")
    var job: String

    @Option(name: .customLong("task"), help: "Run only this task (repeatable); dependencies are ignored.")
    var tasks: [String] = []

    @Option(name: .customLong("param"), help: "KEY=VALUE, given to tasks as GNOMON_PARAM_KEY (repeatable).")
    var params: [String] = []

    @Option(help: "Most tasks at once across the run (default: the number of cores).")
    var workers: Int?

    @Option(help: "Grace between SIGTERM and SIGKILL when a task is stopped (e.g. 10s).")
    var killGrace: String = "10s"

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be 1 or more (got \(workers))") }
        _ = try CLIValues.params(params)
        _ = try CLIValues.duration(killGrace, option: "--kill-grace")
    }

    func run() async throws {
        let options = ForegroundRun.Options(
            job: job, tasks: tasks, params: try CLIValues.params(params), workers: workers,
            killGrace: try CLIValues.duration(killGrace, option: "--kill-grace"))
        let status = try await ForegroundRun.run(options, settings: global.settings)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
