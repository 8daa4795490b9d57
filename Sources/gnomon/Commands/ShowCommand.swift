import ArgumentParser
import GnomonApp

struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a run: each task's state and reason, every attempt with its outcome, times and log.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var id: Int64

    @Flag(help: "Print JSON (see Docs/cli.md).")
    var json = false

    @Flag(help: "List every instance of each foreach task (by default all of them only when a task has at most 10).")
    var instances = false

    func run() async throws {
        say(try await RunHistory.show(run: id, json: json, source: remote.source(global), instances: instances))
    }
}
