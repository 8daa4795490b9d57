import ArgumentParser
import GnomonApp

struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "Run a job once for each fire time of its schedule on past days (--dry-run lists them).",
        discussion: """
            The fire times from the start of --from through the end of --to (inclusive, in the \
            schedule's time zone), oldest first; those with a succeeded run already are left out \
            unless --rerun-succeeded. Each becomes a run with trigger backfill and that time as its \
            scheduled time, at most --max-active at once. When a daemon runs on the home, the daemon \
            drives the backfill and this command follows it (Ctrl-C stops only the following; \
            --no-follow returns at once); else this process drives it. The same command again \
            continues an unfinished backfill (after a crash or Ctrl-C), or follows it. Exit 0 when \
            every run succeeded, 1 when one did not, 5 when interrupted; a reversed range, or one \
            with no fire time, exits 2; a job without a schedule or with a continuous one exits 1; \
            6 when the daemon did not take the backfill up within 10 s.
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

    @Flag(name: .customLong("no-follow"), help: "Hand the backfill to the running daemon and return at once.")
    var noFollow = false

    @Flag(help: "Print JSON (with --dry-run).")
    var json = false

    @Option(help: "Most tasks at once in each run (default: the number of cores).")
    var workers: Int?

    @Option(help: "Grace between SIGTERM and SIGKILL when a task is stopped (e.g. 10s).")
    var killGrace: String = "10s"

    func validate() throws {
        guard maxActive >= 1 else { throw ValidationError("--max-active must be 1 or more (got \(maxActive))") }
        if let workers, workers < 1 { throw ValidationError("--workers must be 1 or more (got \(workers))") }
        _ = try CLIValues.duration(killGrace, option: "--kill-grace")
    }

    func run() async throws {
        guard !dryRun else {
            let plan = try BackfillPlan.make(job: job, from: from, to: to, rerunSucceeded: rerunSucceeded, tasks: tasks,
                                             settings: global.settings)
            say(try plan.render(json: json))
            return
        }
        let options = BackfillRun.Options(
            job: job, from: from, to: to, tasks: tasks, maxActive: maxActive, rerunSucceeded: rerunSucceeded,
            workers: workers, killGrace: try CLIValues.duration(killGrace, option: "--kill-grace"), follow: !noFollow)
        let status = try await BackfillRun.run(options, settings: global.settings)
        if status != .success { throw ExitCode(status.rawValue) }
    }
}
