import ArgumentParser
import GnomonApp

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused job: it fires again from its next time (missed times are not run).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The job.")
    var job: String

    func run() async throws {
        say(try await PauseState.set(job: job, paused: false, source: remote.source(global)))
    }
}
