import ArgumentParser
import GnomonApp

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run: each task's state and reason, every attempt with its outcome, times and log.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var id: Int64

    @Flag(help: "Print JSON (see Docs/cli.md).")
    var json = false

    func run() throws {
        say(try RunHistory.show(run: id, json: json, settings: global.settings))
    }
}
