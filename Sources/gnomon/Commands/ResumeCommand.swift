import ArgumentParser
import GnomonApp

struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Resume a paused job: it fires again from its next time (missed times are not run).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job.")
    var job: String

    func run() throws {
        say(try PauseState.set(job: job, paused: false, settings: global.settings))
    }
}
