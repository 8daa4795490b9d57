import ArgumentParser
import GnomonApp

struct NotifyTestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Send a test alert through a channel of the settings file now and print the receiver's answer.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The channel's name in the settings file.")
    var channel: String

    func run() async throws {
        say(try await ChannelTest.send(channel: channel, settings: global.settings))
    }
}
