/// The program a command channel runs for each alert.
public struct CommandTarget: Sendable, Hashable {
    /// The argv; a bare `argv[0]` is looked up in `environment["PATH"]`.
    public var argv: [String]
    /// The program's environment (at least PATH), to which the `GNOMON_EVENT_*` variables are added.
    public var environment: [String: String]
    /// How long it may run before its process group gets SIGTERM (and SIGKILL
    /// ``CommandSender/killGrace`` later).
    public var timeout: Duration

    public init(argv: [String], environment: [String: String], timeout: Duration = .seconds(10)) {
        self.argv = argv
        self.environment = environment
        self.timeout = timeout
    }
}
