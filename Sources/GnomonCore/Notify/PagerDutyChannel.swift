/// A channel that sends PagerDuty Events API v2 payloads: `trigger` on a failure, `resolve` on
/// the recovery, one `dedup_key` per job.
public struct PagerDutyChannel: Sendable, Hashable, Codable {
    /// PagerDuty's own Events API v2 endpoint.
    public static let defaultURL = "https://events.pagerduty.com/v2/enqueue"
    /// How long one delivery may take when the file does not say.
    public static let defaultTimeout: Duration = .seconds(10)

    /// Where the events go: PagerDuty's endpoint, or another that speaks the same API.
    public var url: String
    /// The integration's routing key.
    public var routingKey: SecretSource
    /// How long one delivery may take.
    public var timeout: Duration

    public init(url: String = PagerDutyChannel.defaultURL, routingKey: SecretSource,
                timeout: Duration = PagerDutyChannel.defaultTimeout) {
        self.url = url
        self.routingKey = routingKey
        self.timeout = timeout
    }

    /// `routing_key_env`, if the routing key comes from the environment.
    public var routingKeyEnv: String? { routingKey.environmentName }
    /// `routing_key_file` (absolute), if the routing key comes from a file.
    public var routingKeyFile: String? { routingKey.filePath }
}
