import GnomonCore

/// The settings-file format (`gnomon.yaml`) in one place: where the file is, the keys each
/// mapping accepts and the bounds on numbers. A test compares the key sets with
/// `Docs/settings.schema.json`.
public enum SettingsFileFormat {
    /// The file's name, in the folder that holds the jobs folder unless `--config` moves it.
    public static let fileName = "gnomon.yaml"

    /// Keys at the top of the file.
    public static let settingsKeys = [
        "channels", "notify", "late_after", "expect_success_every", "public_url", "retry_alerts_for",
        "min_free_space", "keep", "slurm",
    ]
    /// Keys of `slurm`.
    public static let slurmKeys = ["conf", "bin", "poll_interval", "max_poll_interval"]
    /// The kinds of channel: a channel has exactly one of these keys.
    public static let channelKinds = ChannelSpec.Kind.allCases.map(\.rawValue)
    /// Keys of a `webhook` channel.
    public static let webhookKeys = ["url", "secret_env", "secret_file", "headers", "timeout"]
    /// Keys of an `email` channel.
    public static let emailKeys = [
        "host", "port", "starttls", "user_env", "user_file", "password_env", "password_file", "from", "to", "timeout",
    ]
    /// Keys of a `pagerduty` channel.
    public static let pagerDutyKeys = ["url", "routing_key_env", "routing_key_file", "timeout"]
    /// Keys of the long form of a `command` channel.
    public static let commandKeys = ["argv", "timeout"]
    /// Keys of one rule, in the settings file's `notify:` and in a job file's.
    public static let ruleKeys = ["to", "on", "after_consecutive_failures", "repeat"]

    /// Most failures in a row a rule may wait for; more is a job nobody watches.
    public static let maximumConsecutiveFailures = 1000
    /// Shortest reminder interval of `repeat`: more often is a flood, not a reminder.
    public static let minimumRepeat: Duration = .seconds(60)

    /// The settings file's default path for a jobs folder: `gnomon.yaml` beside it.
    public static func defaultPath(jobsDirectory: String) -> String {
        PathJoin.join(jobsDirectory, "../" + fileName)
    }
}
