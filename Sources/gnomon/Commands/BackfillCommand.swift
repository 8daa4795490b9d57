import ArgumentParser
import GnomonApp

struct BackfillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "List (--dry-run) the fire times of a job's schedule on past days, to reprocess them.",
        discussion: """
            The fire times from the start of --from through the end of --to (inclusive, in the \
            schedule's time zone), oldest first; those with a succeeded run already are left out \
            unless --rerun-succeeded. A reversed range, or one with no fire time, exits 2; a job \
            without a schedule or with a continuous one exits 1. Only --dry-run is available yet.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The job.")
    var job: String

    @Option(help: "The first day, YYYY-MM-DD, in the schedule's time zone.")
    var from: String

    @Option(help: "The last day, YYYY-MM-DD, inclusive.")
    var to: String

    @Flag(name: .customLong("dry-run"), help: "List the fire times that would run; create nothing.")
    var dryRun = false

    @Flag(name: .customLong("rerun-succeeded"), help: "Also run fire times that have a succeeded run.")
    var rerunSucceeded = false

    @Option(name: .customLong("max-active"), help: "At most this many backfill runs at once.")
    var maxActive = 1

    @Option(name: .customLong("task"), help: "Run only this task (repeatable).")
    var tasks: [String] = []

    @Flag(help: "Print JSON.")
    var json = false

    func validate() throws {
        guard maxActive >= 1 else { throw ValidationError("--max-active must be 1 or more (got \(maxActive))") }
    }

    func run() throws {
        let plan = try BackfillPlan.make(job: job, from: from, to: to, rerunSucceeded: rerunSucceeded, tasks: tasks,
                                         settings: global.settings)
        guard dryRun else {
            throw BackfillPlan.notYet(job: job)
        }
        say(try plan.render(json: json))
    }
}
