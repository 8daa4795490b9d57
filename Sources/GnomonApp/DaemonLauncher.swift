import Foundation
import GnomonDaemon

/// `gnomon daemon`: runs the scheduler in the foreground until SIGTERM or SIGINT.
public enum DaemonLauncher {
    /// Options of `gnomon daemon`.
    public struct Options: Sendable {
        public var workers: Int?
        public var shutdownGrace: Duration
        public var killGrace: Duration
        public var logLevel: String
        /// How often the history outside the retention policies is pruned.
        public var pruneInterval: Duration

        public init(workers: Int?, shutdownGrace: Duration, killGrace: Duration, logLevel: String,
                    pruneInterval: Duration = Pruner.interval) {
            self.pruneInterval = pruneInterval
            self.workers = workers
            self.shutdownGrace = shutdownGrace
            self.killGrace = killGrace
            self.logLevel = logLevel
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
        let daemon = Daemon(options: daemonOptions, logger: Daemon.makeLogger(level: options.logLevel))
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
