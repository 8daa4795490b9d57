import ArgumentParser
import GnomonApp

struct TriggerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trigger",
        abstract: "Ask the running daemon for a manual run of a job; prints the run's id.",
        discussion: """
            The run starts within a second, even if the job is paused. With --wait, exit 0 when the \
            run succeeded, 1 when it failed, 5 when it was cancelled. Exit 4 if no daemon runs, 6 if \
            it does not answer within 10s.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job.")
    var job: String

    @Option(name: .customLong("param"), help: "KEY=VALUE, given to tasks as GNOMON_PARAM_KEY (repeatable).")
    var params: [String] = []

    @Flag(help: "Wait for the run to end and exit with its outcome.")
    var wait = false

    func validate() throws {
        _ = try CLIValues.params(params)
    }

    func run() async throws {
        let id = try await TriggerRun.request(job: job, params: try CLIValues.params(params), settings: global.settings)
        say(String(id))
        guard wait else { return }
        let (status, line) = try await TriggerRun.wait(run: id, settings: global.settings)
        say(line)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
