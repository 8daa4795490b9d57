import ArgumentParser
import GnomonApp

struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a job: the daemon records its fire times as paused; triggers still run it.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The job.")
    var job: String

    func run() async throws {
        say(try await PauseState.set(job: job, paused: true, source: remote.source(global)))
    }
}
