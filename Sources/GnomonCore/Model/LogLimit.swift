/// How large one attempt's log may grow, and what happens past it (`log_limit`,
/// `log_limit_action`; Docs/execution.md, *Bounded logs*).
public struct LogLimit: Sendable, Hashable, Codable {
    /// What happens to an attempt whose log passes its limit.
    public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
        /// The log keeps its first and last parts with a line saying how much was dropped between;
        /// the task runs on.
        case truncate
        /// As `truncate`, and the attempt is stopped (signalled SIGXFSZ, then SIGKILL after the
        /// kill grace): it fails.
        case fail
    }

    /// The most bytes the log keeps (besides the one line saying what was dropped).
    public var bytes: Int64
    public var action: Action

    public init(bytes: Int64, action: Action = .truncate) {
        self.bytes = bytes
        self.action = action
    }

    /// 100 MiB, truncated: a log that size still opens in an editor, and a runaway task costs
    /// at most that much disk per attempt.
    public static let standard = LogLimit(bytes: 100 << 20)

    /// The smallest limit a job file may set. The log's middle is dropped in whole file-system
    /// blocks (4 KiB), so a smaller log would be mostly block rounding.
    public static let minimumBytes: Int64 = 64 << 10

    /// The bytes kept from the start of the output: half the limit.
    public var headBytes: Int64 { bytes / 2 }
    /// The bytes kept from the end of the output: the other half.
    public var tailBytes: Int64 { bytes - headBytes }
}
