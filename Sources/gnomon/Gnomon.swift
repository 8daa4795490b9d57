import ArgumentParser
import GnomonApp

/// The `gnomon` command: a batch job scheduler.
@main
struct Gnomon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gnomon",
        abstract: "A batch job scheduler: job graphs in files, runs recorded in SQLite.",
        discussion: "Exit codes: 0 success, 1 failure, 2 usage, 3 not found, 4 environment, 5 cancelled, 6 timed out. See Docs/cli.md.",
        version: GnomonVersion.current,
        subcommands: [
            ValidateCommand.self, JobsCommand.self, NextCommand.self, GraphCommand.self,
            RunCommand.self, RunsCommand.self, ShowCommand.self, LogsCommand.self, KillCommand.self, RetryCommand.self,
            DaemonCommand.self, TriggerCommand.self, PauseCommand.self, ResumeCommand.self, TicksCommand.self,
            NotificationsCommand.self, NotifyCommand.self, BackupCommand.self, CheckCommand.self, PruneCommand.self,
            BackfillCommand.self,
        ]
    )

    /// Runs the command and maps every error to a documented exit code (usage errors exit 2).
    static func main() async {
        Console.prepareProcess()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as AppError {
            Console.fail(error)
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.warn(fullMessage(for: error))
                Console.exit(.usage)
            }
            exit(withError: error)
        }
    }
}

/// Options every command takes: where the jobs and the settings file are and where Gnomon keeps
/// its state.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The jobs folder (env GNOMON_JOBS, default ./jobs).", valueName: "dir"))
    var jobs: String?

    @Option(name: .long, help: ArgumentHelp("Gnomon's home: database and logs (env GNOMON_HOME, default ./.gnomon).", valueName: "dir"))
    var home: String?

    @Option(name: .long, help: ArgumentHelp(
        "The settings file: alert channels and rules (env GNOMON_CONFIG, default gnomon.yaml beside the jobs folder).",
        valueName: "file"))
    var config: String?

    var settings: GlobalSettings { GlobalSettings(jobs: jobs, home: home, config: config) }
}

/// Writes a line to standard output.
func say(_ text: String) {
    Console.say(text)
}
