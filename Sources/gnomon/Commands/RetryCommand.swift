import ArgumentParser
import GnomonApp

struct RetryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Continue a failed or cancelled run: its failed, cancelled and skipped tasks get new attempts.",
        discussion: """
            Runs in this process and exits with the run's outcome (0, 1, 5). With --server the daemon \
            continues the run and this command shows its progress until it ends (--workers and \
            --kill-grace are the daemon's then; Ctrl-C stops watching, `gnomon kill` stops the run).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var id: Int64

    @Option(help: "Most tasks at once (default: the number of cores).")
    var workers: Int?

    @Option(help: "Grace between SIGTERM and SIGKILL when a task is stopped.")
    var killGrace: String = "10s"

    func run() async throws {
        let grace = try CLIValues.duration(killGrace, option: "--kill-grace")
        let status = try await remote.source(global).retry(run: id, workers: workers, killGrace: grace)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
