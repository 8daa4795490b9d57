import ArgumentParser
import GnomonApp

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs",
        abstract: "Print a run's logs: one task's latest (or --attempt N) attempt, or every attempt.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var id: Int64

    @Argument(help: "The task (default: every task).")
    var task: String?

    @Option(help: "This attempt of TASK (1-based).")
    var attempt: Int?

    @Flag(name: [.short, .long], help: "Keep printing while the attempt runs.")
    var follow = false

    func run() async throws {
        try await RunLogs.show(run: id, task: task, attempt: attempt, follow: follow, source: remote.source(global))
    }
}
