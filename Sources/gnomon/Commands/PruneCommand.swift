import ArgumentParser
import GnomonApp

struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove the history outside each job's keep: policy now, and say what was removed.",
        discussion: """
            The daemon prunes every 10 minutes by itself. A run is removed with its tasks, attempts, \
            ticks, events, alerts and log files when more than keep.runs newer runs of its job exist \
            or it ended more than keep.days days ago (default 1000 runs, 90 days); a running run, or \
            one whose alerts are not yet delivered, is kept. See Docs/storage.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Count what would be removed; remove nothing.")
    var dryRun = false

    @Flag(help: "First rewrite the database once so that it gives free pages back (needs the daemon stopped).")
    var vacuum = false

    @Flag(help: "Print JSON (see Docs/cli.md).")
    var json = false

    func run() throws {
        say(try Prune.run(dryRun: dryRun, vacuum: vacuum, json: json, settings: global.settings))
    }
}
