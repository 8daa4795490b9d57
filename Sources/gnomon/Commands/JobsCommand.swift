import ArgumentParser
import GnomonApp

struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List every job: schedule, time zone, next fire time, last run, problems.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Print JSON (see Docs/cli.md for its shape).")
    var json = false

    func run() throws {
        say(try JobListing.load(settings: global.settings).render(json: json))
    }
}
