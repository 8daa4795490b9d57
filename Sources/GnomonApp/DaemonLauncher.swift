import Foundation
import GnomonDaemon
import GnomonServer

/// `gnomon daemon`: runs the scheduler in the foreground until SIGTERM or SIGINT.
public enum DaemonLauncher {
    /// Options of `gnomon daemon`.
    public struct Options: Sendable {
        public var workers: Int?
        public var shutdownGrace: Duration
        public var killGrace: Duration
        public var logLevel: String
        /// `--listen HOST:PORT` or `none` (`GNOMON_LISTEN`; default 127.0.0.1:8470).
        public var listen: String?
        /// `--tokens-file`: more API tokens, one `NAME ROLE TOKEN` line each.
        public var tokensFile: String?
        /// `--metrics-public`: `/metrics` without a token.
        public var metricsPublic: Bool
        /// How often the history outside the retention policies is pruned.
        public var pruneInterval: Duration

        public init(
            workers: Int?, shutdownGrace: Duration, killGrace: Duration, logLevel: String, listen: String? = nil,
            tokensFile: String? = nil, metricsPublic: Bool = false, pruneInterval: Duration = Pruner.interval
        ) {
            self.listen = listen
            self.tokensFile = tokensFile
            self.metricsPublic = metricsPublic
            self.pruneInterval = pruneInterval
            self.workers = workers
            self.shutdownGrace = shutdownGrace
            self.killGrace = killGrace
            self.logLevel = logLevel
        }
    }

    /// The address to serve on: `--listen`, else `GNOMON_LISTEN`, else 127.0.0.1:8470.
    public static func listenAddress(
        _ option: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(AppError) -> ListenAddress {
        guard let text = option ?? environment["GNOMON_LISTEN"] else { return .standard }
        switch ListenAddress.parse(text) {
        case .success(let address): return address
        case .failure(let problem): throw AppError(.usage, problem.description)
        }
    }

    /// The log levels `--log-level` takes.
    public static let logLevels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]

    /// Runs the daemon; returns after a clean shutdown (exit 0).
    public static func run(_ options: Options, settings: GlobalSettings) async throws(AppError) {
        // A named settings file must exist; the daemon reads it (again on SIGHUP) itself.
        _ = try settings.loadSettingsFile()
        let daemonOptions = DaemonOptions(
            jobsDirectory: settings.jobsDirectory, home: settings.home, workers: options.workers,
            shutdownGrace: options.shutdownGrace, killGrace: options.killGrace, logLevel: options.logLevel,
            configPath: settings.configPath, pruneInterval: options.pruneInterval)
        let logger = Daemon.makeLogger(level: options.logLevel)
        let listen = try listenAddress(options.listen)
        let tokensFile = options.tokensFile.map { GlobalSettings.absolute($0, cwd: FileManager.default.currentDirectoryPath) }
        if let tokensFile, !FileManager.default.isReadableFile(atPath: tokensFile) {
            throw AppError(.notFound, "tokens file \(tokensFile) cannot be read; create it (one `NAME ROLE TOKEN` line per token, see Docs/server.md) or leave out --tokens-file")
        }
        let daemon = Daemon(options: daemonOptions, logger: logger)
        let metricsPublic = options.metricsPublic
        daemon.companion = { handle in
            await ServerLauncher.serve(
                handle, listen: listen, tokensFile: tokensFile, metricsPublic: metricsPublic, settings: settings, logger: logger)
        }
        do {
            try await daemon.run()
        } catch {
            switch error {
            case .alreadyRunning(let message), .environment(let message): throw AppError(.environment, message)
            case .notFound(let message): throw AppError(.notFound, message)
            }
        }
    }
}
