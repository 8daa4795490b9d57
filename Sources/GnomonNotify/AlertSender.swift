/// Delivers one alert to one channel.
///
/// A sender never throws and never waits past its target's timeout: whatever happens becomes a
/// ``DeliveryResult``, which the notifier records and, when retryable, tries again later.
public protocol AlertSender: Sendable {
    func send(_ alert: Alert) async -> DeliveryResult
}

/// How one delivery ended.
public enum DeliveryResult: Sendable, Hashable {
    /// The receiver took it; `detail` is its answer (`HTTP 200`, `SMTP 250`, `exit 0`).
    case delivered(detail: String)
    /// It was not delivered: `error` says what happened, with the host and port or the status;
    /// `retryable` says whether trying again later may succeed (a timeout, a 503) or not (a 404,
    /// a refused password).
    case failed(error: String, retryable: Bool)
}
