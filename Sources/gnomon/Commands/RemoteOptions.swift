import ArgumentParser
import GnomonApp

/// Options of the commands that can work against a remote daemon through its API: `jobs`, `runs`,
/// `show`, `logs`, `ticks`, `trigger`, `kill`, `retry`, `pause` and `resume`.
struct RemoteOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Work against the daemon serving this URL through its API (env GNOMON_SERVER), e.g. http://127.0.0.1:8470.",
        valueName: "url"))
    var server: String?

    @Option(help: ArgumentHelp(
        "The file holding the API token for --server (default: env GNOMON_TOKEN, else the home's api-token).",
        valueName: "file"))
    var tokenFile: String?

    /// This machine's store and jobs folder, or the daemon at `--server`.
    func source(_ global: GlobalOptions) throws -> any CommandSource {
        try RemoteSource.choose(server: server, tokenFile: tokenFile, settings: global.settings)
    }
}
