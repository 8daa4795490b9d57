import ArgumentParser
import GnomonApp

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List runs, newest first: id, job, status, trigger, scheduled, started, duration.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: "Only this job's runs.")
    var job: String?

    @Option(help: "Only runs with this status (repeatable): queued, running, succeeded, failed, cancelled.")
    var status: [String] = []

    @Option(help: "Only runs with this trigger (repeatable): schedule, catchup, manual, backfill.")
    var trigger: [String] = []

    @Option(help: "Only runs created since: a duration ago (2d, 90m) or a date (2026-11-26).")
    var since: String?

    @Option(help: "At most this many runs.")
    var limit = 20

    @Flag(help: "Print JSON (see Docs/cli.md).")
    var json = false

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be 1 or more (got \(limit))") }
    }

    func run() async throws {
        say(try await RunHistory.list(job: job, status: status, trigger: trigger, since: since, limit: limit, json: json, source: remote.source(global)))
    }
}
