import ArgumentParser
import GnomonApp

struct PauseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract: "Pause a job: the daemon records its fire times as paused; triggers still run it.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job.")
    var job: String

    func run() throws {
        say(try PauseState.set(job: job, paused: true, settings: global.settings))
    }
}
