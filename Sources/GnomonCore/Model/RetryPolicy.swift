/// How a failed task is retried: how many times, after what delays, for which exit codes.
///
/// The k-th retry (k = 1, 2, ...) waits `min(maxDelay, delay * backoff^(k-1))`, then the jitter
/// spreads that by up to `jitter` of itself in either direction.
public struct RetryPolicy: Sendable, Hashable, Codable {
    /// Retries after the first attempt; 0 means the task runs once.
    public var limit: Int
    public var delay: Duration
    public var backoff: Double
    public var maxDelay: Duration
    /// Fraction of the delay, 0...1, by which it is randomly spread.
    public var jitter: Double
    /// Only these exit codes are retried; `nil` retries any failure.
    public var onExitCodes: [Int32]?

    public static let defaultDelay: Duration = .seconds(10)
    public static let defaultBackoff: Double = 2
    public static let defaultMaxDelay: Duration = .seconds(3600)
    public static let defaultJitter: Double = 0.1

    public init(
        limit: Int = 0,
        delay: Duration = RetryPolicy.defaultDelay,
        backoff: Double = RetryPolicy.defaultBackoff,
        maxDelay: Duration = RetryPolicy.defaultMaxDelay,
        jitter: Double = RetryPolicy.defaultJitter,
        onExitCodes: [Int32]? = nil
    ) {
        self.limit = limit
        self.delay = delay
        self.backoff = backoff
        self.maxDelay = maxDelay
        self.jitter = jitter
        self.onExitCodes = onExitCodes
    }
}
