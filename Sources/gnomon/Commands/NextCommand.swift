import ArgumentParser
import GnomonApp

struct NextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next",
        abstract: "Print the next fire times of a job or a cron expression.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job (or use --cron).")
    var job: String?

    @Option(help: "A cron expression instead of a job, e.g. \"30 2 * * 1-5\" or \"@every 15m\".")
    var cron: String?

    @Option(help: "Time zone for --cron (IANA name, default UTC).")
    var timezone: String?

    @Option(help: "Start after this instant (ISO 8601, default now).")
    var after: String?

    @Option(help: "How many fire times.")
    var count = 5

    @Flag(help: "Print a JSON array of ISO 8601 strings.")
    var json = false

    func validate() throws {
        guard (job == nil) != (cron == nil) else { throw ValidationError("give either a JOB or --cron EXPR, not both or neither") }
        guard timezone == nil || cron != nil else { throw ValidationError("--timezone goes with --cron; a job's time zone comes from its file") }
        guard (1...10_000).contains(count) else { throw ValidationError("--count must be between 1 and 10000 (got \(count))") }
    }

    func run() throws {
        let times = try NextTimes.compute(
            job: job, cron: cron, timeZone: timezone, after: after, count: count, settings: global.settings)
        say(try times.render(json: json))
    }
}
