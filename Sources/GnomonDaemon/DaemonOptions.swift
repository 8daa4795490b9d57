import Foundation

/// How `gnomon daemon` runs.
public struct DaemonOptions: Sendable {
    /// The jobs folder, absolute.
    public var jobsDirectory: String
    /// `$GNOMON_HOME`: the database, the logs, `daemon.lock` and `daemon.pid`.
    public var home: String
    /// Most attempts running at once across every run.
    public var workers: Int
    /// On SIGTERM/SIGINT, how long running tasks may take to end before they are killed and
    /// recorded interrupted.
    public var shutdownGrace: Duration
    /// SIGTERM-to-SIGKILL grace when a task is stopped (kill, timeout, replace, recovery).
    public var killGrace: Duration
    /// How often the jobs folder is checked for added, edited and removed files.
    public var reloadInterval: Duration
    /// How often the database is checked for trigger requests when no SIGUSR1 arrives.
    public var triggerPollInterval: Duration
    /// `trace`, `debug`, `info`, `notice`, `warning`, `error` or `critical`.
    public var logLevel: String
    /// The settings file (`gnomon.yaml`: alert channels and rules); nil or absent: no alerts.
    public var configPath: String?
    /// How often the history outside the retention policies is pruned (the first time this
    /// long after the start).
    public var pruneInterval: Duration

    /// The default worker count: four per core, at least eight. Most tasks of a scheduler wait
    /// on I/O or sleep, so more slots than cores keep runs starting on time.
    public static var defaultWorkers: Int { max(8, 4 * ProcessInfo.processInfo.activeProcessorCount) }

    public init(
        jobsDirectory: String, home: String, workers: Int? = nil, shutdownGrace: Duration = .seconds(30),
        killGrace: Duration = .seconds(10), reloadInterval: Duration = .seconds(2),
        triggerPollInterval: Duration = .seconds(1), logLevel: String = "info", configPath: String? = nil,
        pruneInterval: Duration = Pruner.interval
    ) {
        self.pruneInterval = pruneInterval
        self.configPath = configPath
        self.jobsDirectory = jobsDirectory
        self.home = home
        self.workers = workers ?? Self.defaultWorkers
        self.shutdownGrace = shutdownGrace
        self.killGrace = killGrace
        self.reloadInterval = reloadInterval
        self.triggerPollInterval = triggerPollInterval
        self.logLevel = logLevel
    }
}
