import ArgumentParser
import GnomonApp

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Continue a failed or cancelled run: its failed, cancelled and skipped tasks get new attempts.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var id: Int64

    @Option(help: "Most tasks at once (default: the number of cores).")
    var workers: Int?

    @Option(help: "Grace between SIGTERM and SIGKILL when a task is stopped.")
    var killGrace: String = "10s"

    func run() async throws {
        let grace = try CLIValues.duration(killGrace, option: "--kill-grace")
        let status = try await ForegroundRun.retry(run: id, workers: workers, killGrace: grace, settings: global.settings)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
