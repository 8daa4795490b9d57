import ArgumentParser
import GnomonApp

struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the database to a new file, consistently, while Gnomon runs.",
        discussion: "Exits 0 when copied, 1 when FILE exists or cannot be written, 3 when there is no database, 4 when the database cannot be read.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("The new file to write the copy to.", valueName: "file"))
    var file: String

    func run() throws {
        say(try HomeBackup.backup(to: file, settings: global.settings))
    }
}
