import ArgumentParser
import GnomonApp

struct TriggerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Ask the running daemon for a manual run of a job; prints the run's id.",
        discussion: """
            The run starts within a second, even if the job is paused; with --task only those tasks \
            run. With --wait, exit 0 when the run succeeded, 1 when it failed, 5 when it was \
            cancelled. Exit 4 if no daemon runs, 6 if it does not answer within 10s. With --server \
            the daemon at that URL is asked through its API.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The job.")
    var job: String

    @Option(name: .customLong("task"), help: "Run only this task (repeatable); dependencies are ignored.")
    var tasks: [String] = []

    @Option(name: .customLong("param"), help: "KEY=VALUE, given to tasks as GNOMON_PARAM_KEY (repeatable).")
    var params: [String] = []

    @Flag(help: "Wait for the run to end and exit with its outcome.")
    var wait = false

    func validate() throws {
        _ = try CLIValues.params(params)
    }

    func run() async throws {
        let source = try remote.source(global)
        let id = try await TriggerRun.request(job: job, params: try CLIValues.params(params), tasks: tasks, source: source)
        say(String(id))
        guard wait else { return }
        let (status, line) = try await TriggerRun.wait(run: id, source: source)
        say(line)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
