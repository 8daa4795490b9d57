import ArgumentParser
import GnomonApp

struct TicksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ticks",
        abstract: "Every fire time the daemon considered for a job, latest first, and what it decided.",
        discussion: """
            Decisions: started, caught_up, queued, replaced, skipped_overlap, paused, missed, dropped, \
            duplicate, error. See Docs/daemon.md.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The job.")
    var job: String

    @Option(help: "At most this many fire times.")
    var limit = 20

    @Flag(help: "Print JSON (see Docs/daemon.md).")
    var json = false

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more (got \(limit))") }
    }

    func run() async throws {
        say(try await TickListing.list(job: job, limit: limit, json: json, source: remote.source(global)))
    }
}
