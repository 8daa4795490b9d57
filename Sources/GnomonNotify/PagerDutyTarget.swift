/// Where a PagerDuty channel sends Events API v2 events, its routing key already read.
public struct PagerDutyTarget: Sendable, Hashable {
    /// PagerDuty's own `https://events.pagerduty.com/v2/enqueue`, or any receiver of the same API.
    public var url: String
    /// The integration's routing key.
    public var routingKey: String
    /// The most the whole delivery may take, connection included.
    public var timeout: Duration

    public init(url: String = "https://events.pagerduty.com/v2/enqueue", routingKey: String, timeout: Duration = .seconds(10)) {
        self.url = url
        self.routingKey = routingKey
        self.timeout = timeout
    }
}
