/// One program to start through ``ProcessSpawner``.
public struct SpawnRequest: Sendable, Hashable {
    /// Where a standard stream of the child comes from or goes to.
    public enum Stream: Sendable, Hashable {
        /// `/dev/null`.
        case null
        /// The same descriptor as in the Gnomon process.
        case inherit
        /// This open descriptor of the Gnomon process (it stays open in the parent).
        case descriptor(Int32)
    }

    /// The file to execute. No PATH search happens here: resolve a bare name first with
    /// ``CommandResolver``. A relative path is taken from ``workingDirectory``.
    public var executable: String
    /// The argument vector, `argv[0]` included.
    public var arguments: [String]
    /// The complete environment of the child.
    public var environment: [String: String]
    /// The directory the child starts in; `nil` keeps Gnomon's own.
    public var workingDirectory: String?
    public var standardInput: Stream
    public var standardOutput: Stream
    public var standardError: Stream
    /// Start a process group of its own (pid == pgid) without a controlling terminal, so a group
    /// kill reaches every descendant and the terminal's signals and reads do not stop it.
    public var ownGroup: Bool

    public init(
        executable: String,
        arguments: [String],
        environment: [String: String],
        workingDirectory: String? = nil,
        standardInput: Stream = .null,
        standardOutput: Stream = .null,
        standardError: Stream = .null,
        ownGroup: Bool = true
    ) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.standardInput = standardInput
        self.standardOutput = standardOutput
        self.standardError = standardError
        self.ownGroup = ownGroup
    }
}

/// A process could not be started at all; `message` says which and why.
public struct SpawnError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A complete sentence for a person, e.g. `could not start /opt/x: Permission denied (EACCES)`.
    public var message: String
    /// The errno behind it, when there is one.
    public var errno: Int32?

    public init(message: String, errno: Int32? = nil) {
        self.message = message
        self.errno = errno
    }

    public var description: String { message }
}
