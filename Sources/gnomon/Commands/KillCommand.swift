import ArgumentParser
import GnomonApp

struct KillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kill",
        abstract: "Stop a run that another gnomon process is executing; it is recorded cancelled.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var remote: RemoteOptions

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var id: Int64

    @Option(help: "How long to wait for the run to stop.")
    var wait: String = "30s"

    func run() async throws {
        let wait = try CLIValues.duration(self.wait, option: "--wait")
        say(try await RunKill.kill(run: id, wait: wait, source: remote.source(global)))
    }
}
