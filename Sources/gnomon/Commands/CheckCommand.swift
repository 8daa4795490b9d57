import ArgumentParser
import GnomonApp

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the database's integrity and the logs against it: missing and orphaned logs.",
        discussion: "Exits 0 when all is sound, 1 when anything is damaged, missing or orphaned, 3 when there is no database, 4 when it cannot be opened.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let report = try HomeCheck.check(settings: global.settings)
        say(report.text)
        if !report.sound { throw ExitCode(CommandExit.failure.rawValue) }
    }
}
