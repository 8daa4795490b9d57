import ArgumentParser
import GnomonApp

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "List every job: schedule, time zone, next fire time, last run, problems.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Flag(help: "Print JSON (see Docs/cli.md for its shape).")
    var json = false

    func run() async throws {
        say(try await JobListing.load(source: remote.source(global)).render(json: json))
    }
}
