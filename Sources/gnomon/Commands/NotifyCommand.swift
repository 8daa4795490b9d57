import ArgumentParser

struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify",
        abstract: "Work with the settings file's alert channels.",
        subcommands: [NotifyTestCommand.self])
}
