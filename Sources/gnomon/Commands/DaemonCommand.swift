import ArgumentParser
import GnomonApp

struct DaemonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "daemon",
        abstract: "Run the scheduler: fire each job's schedule, run triggers, reload edited files.",
        discussion: """
            Runs in the foreground and logs to standard error. SIGTERM or SIGINT drains it: running \
            tasks get --shutdown-grace, then are killed and retried at the next start; exit 0. SIGHUP \
            reloads every job file. Exit 4 if another daemon holds the home. See Docs/daemon.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Most tasks at once across every run (default: four per core, at least 8).")
    var workers: Int?

    @Option(help: "On SIGTERM/SIGINT, how long running tasks may take to end before they are killed.")
    var shutdownGrace: String = "30s"

    @Option(help: "Grace between SIGTERM and SIGKILL when a task is stopped.")
    var killGrace: String = "10s"

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    @Option(help: "Serve the web UI, the JSON API and /metrics on HOST:PORT, or none (default: $GNOMON_LISTEN, else 127.0.0.1:8470).")
    var listen: String?

    @Option(help: "More API tokens, one `NAME ROLE TOKEN` line each (roles: read, operate, admin). See Docs/server.md.")
    var tokensFile: String?

    @Flag(help: "Serve /metrics without a token.")
    var metricsPublic = false
    @Option(help: "How often the history outside the jobs' keep: policies is pruned (first after this long).")
    var pruneEvery: String = "10m"

    func validate() throws {
        if let workers, workers < 1 { throw ValidationError("--workers must be 1 or more (got \(workers))") }
        _ = try CLIValues.duration(shutdownGrace, option: "--shutdown-grace")
        _ = try CLIValues.duration(killGrace, option: "--kill-grace")
        _ = try CLIValues.duration(pruneEvery, option: "--prune-every")
        guard DaemonLauncher.logLevels.contains(logLevel.lowercased()) else {
            throw ValidationError("--log-level \(logLevel) is not one of \(DaemonLauncher.logLevels.joined(separator: ", "))")
        }
        do { _ = try DaemonLauncher.listenAddress(listen) } catch { throw ValidationError(error.message) }
    }

    func run() async throws {
        let options = DaemonLauncher.Options(
            workers: workers, shutdownGrace: try CLIValues.duration(shutdownGrace, option: "--shutdown-grace"),
            killGrace: try CLIValues.duration(killGrace, option: "--kill-grace"), logLevel: logLevel,
            listen: listen, tokensFile: tokensFile, metricsPublic: metricsPublic,
            pruneInterval: try CLIValues.duration(pruneEvery, option: "--prune-every"))
        try await DaemonLauncher.run(options, settings: global.settings)
    }
}
