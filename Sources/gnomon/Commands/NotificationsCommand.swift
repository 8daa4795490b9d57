import ArgumentParser
import GnomonApp

struct NotificationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notifications",
        abstract: "List alerts, newest first: job, run, kind, channel, delivered / pending / given_up, tries, answer or error.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "Only this job's alerts.")
    var job: String?

    @Option(help: "At most this many alerts.")
    var limit = 20

    @Flag(help: "Print JSON (see Docs/cli.md).")
    var json = false

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more (got \(limit))") }
    }

    func run() throws {
        say(try NotificationListing.list(job: job, limit: limit, json: json, settings: global.settings))
    }
}
