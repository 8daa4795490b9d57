/// A channel that runs a program for each event, with the event as JSON on its standard input
/// and as `GNOMON_EVENT_*` variables.
public struct CommandChannel: Sendable, Hashable, Codable {
    /// How long the program may run when the file does not say; it is stopped after that.
    public static let defaultTimeout: Duration = .seconds(30)

    /// The program and its arguments, run without a shell; never empty.
    public var argv: [String]
    /// How long the program may run.
    public var timeout: Duration

    public init(argv: [String], timeout: Duration = CommandChannel.defaultTimeout) {
        self.argv = argv
        self.timeout = timeout
    }
}
