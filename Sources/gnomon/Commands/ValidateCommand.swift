import ArgumentParser
import GnomonApp

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check job files and print every problem as path:line:column: key.path: message.",
        discussion: "Exits 0 when every file is valid, 1 when any is not, 2 for usage errors.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Job files or folders (default: the jobs folder).")
    var paths: [String] = []

    func run() throws {
        let report = try Validation.check(paths: paths, settings: global.settings)
        say(report.text)
        if !report.valid { throw ExitCode(CommandExit.failure.rawValue) }
    }
}
