/// What the settings file (`gnomon.yaml`) means: where alerts go, the default alerting rules, and
/// defaults for jobs. An absent file means `GnomonSettings()`, empty settings.
///
/// Each top-level key of the file is one property here with its own default, so a later section
/// (retention, a cluster's settings) is one more property and one more key, and a value coded
/// before it existed still decodes.
public struct GnomonSettings: Sendable, Hashable, Codable {
    /// Channels by name (names follow the job-name rule).
    public var channels: [String: ChannelSpec]
    /// The rules for every job that has no `notify:` of its own.
    public var notify: [NotifyRule]
    /// Default `late_after` for scheduled jobs.
    public var lateAfter: Duration?
    /// Default `expect_success_every` for scheduled jobs.
    public var expectSuccessEvery: Duration?
    /// The web UI's base URL (`public_url`), for links in alerts; no links if `nil`.
    public var publicURL: String?
    /// How long a delivery that keeps failing is retried before it is given up
    /// (`retry_alerts_for`, default 24 hours).
    public var retryAlertsFor: Duration
    /// The free space the home's file system needs before an attempt starts (`min_free_space`).
    public var minFreeSpace: FreeSpaceRule = .standard
    /// The history kept for every job that does not say otherwise (`keep:`); a key left out
    /// means the built-in default (``RetentionPolicy/standard``).
    public var keep: KeepSpec?
    /// How Gnomon reaches a Slurm cluster (`slurm:`).
    public var slurm: SlurmSettings = SlurmSettings()

    /// 24 hours: a receiver down for a night still gets its alerts.
    public static let defaultRetryAlertsFor = Duration.seconds(24 * 3600)

    public init(channels: [String: ChannelSpec] = [:], notify: [NotifyRule] = [], lateAfter: Duration? = nil,
                expectSuccessEvery: Duration? = nil, publicURL: String? = nil,
                retryAlertsFor: Duration = GnomonSettings.defaultRetryAlertsFor, keep: KeepSpec? = nil) {
        self.retryAlertsFor = retryAlertsFor
        self.keep = keep
        self.channels = channels
        self.notify = notify
        self.lateAfter = lateAfter
        self.expectSuccessEvery = expectSuccessEvery
        self.publicURL = publicURL
    }

    private enum CodingKeys: String, CodingKey {
        case channels, notify, lateAfter, expectSuccessEvery, publicURL, retryAlertsFor, minFreeSpace, keep, slurm
    }

    /// Every key is optional, so settings coded by an older version decode with the defaults.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        channels = try container.decodeIfPresent([String: ChannelSpec].self, forKey: .channels) ?? [:]
        notify = try container.decodeIfPresent([NotifyRule].self, forKey: .notify) ?? []
        lateAfter = try container.decodeIfPresent(Duration.self, forKey: .lateAfter)
        expectSuccessEvery = try container.decodeIfPresent(Duration.self, forKey: .expectSuccessEvery)
        publicURL = try container.decodeIfPresent(String.self, forKey: .publicURL)
        retryAlertsFor = try container.decodeIfPresent(Duration.self, forKey: .retryAlertsFor) ?? Self.defaultRetryAlertsFor
        minFreeSpace = try container.decodeIfPresent(FreeSpaceRule.self, forKey: .minFreeSpace) ?? .standard
        keep = try container.decodeIfPresent(KeepSpec.self, forKey: .keep)
        slurm = try container.decodeIfPresent(SlurmSettings.self, forKey: .slurm) ?? SlurmSettings()
    }
}

/// The settings file's `slurm:`: the cluster Gnomon submits `slurm:` tasks to.
public struct SlurmSettings: Sendable, Hashable, Codable {
    /// `conf`: the `SLURM_CONF` Slurm's commands run with; `nil` keeps the daemon's own.
    public var conf: String?
    /// `bin`: the folder of `sbatch`, `squeue`, `sacct`, `scancel`; `nil` looks in `PATH`.
    public var bin: String?
    /// `poll_interval`: how often one `squeue` asks about every active job (default 1 s).
    public var pollInterval: Duration
    /// `max_poll_interval`: the longest interval while nothing changes (default 8 s).
    public var maxPollInterval: Duration

    public init(conf: String? = nil, bin: String? = nil, pollInterval: Duration = .seconds(1), maxPollInterval: Duration = .seconds(8)) {
        self.conf = conf
        self.bin = bin
        self.pollInterval = pollInterval
        self.maxPollInterval = maxPollInterval
    }
}
