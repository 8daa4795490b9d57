/// The exit codes of every `gnomon` command; documented in Docs/cli.md. Never renumber one.
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// Done; the run succeeded; every file is valid.
    case success = 0
    /// What was checked or run failed: an invalid job file, a failed run.
    case failure = 1
    /// The command line was wrong: an unknown option, a bad value.
    case usage = 2
    /// A named job, run, task or file does not exist.
    case notFound = 3
    /// Gnomon could not work here: the database or home folder cannot be opened or written,
    /// another daemon holds the home.
    case environment = 4
    /// The run was cancelled (Ctrl-C, `gnomon kill`).
    case cancelled = 5
    /// Waited too long (`--wait` with a timeout, a daemon that did not answer).
    case timedOut = 6
}

/// An error a command reports to the user with its exit status.
public struct AppError: Error, CustomStringConvertible, Sendable {
    public let status: ExitStatus
    public let message: String

    public init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}
