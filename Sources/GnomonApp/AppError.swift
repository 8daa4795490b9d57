import GnomonEngine
import GnomonStore

/// The exit codes of every `gnomon` command; documented in Docs/cli.md. Never renumber one.
public enum CommandExit: Int32, Sendable, CaseIterable {
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
    public let status: CommandExit
    public let message: String

    public init(_ status: CommandExit, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { message }
}

extension AppError {
    /// The one mapping from an error of a lower layer to the exit status a command reports.
    ///
    /// Something named that does not exist (a run, a task, a trigger request) is `.notFound` (3)
    /// from every command; a request the data refuses (a run that cannot be retried, a scheduled
    /// time that already ran) is `.failure` (1); anything else the store or the engine could not
    /// do (a locked, full, damaged or unwritable database) is `.environment` (4). The message is
    /// the lower layer's, which says what, where and how to fix it.
    public init(_ error: any Error) {
        switch error {
        case let error as AppError:
            self = error
        case let error as StoreError:
            self.init(Self.status(of: error), error.description)
        case let error as EngineError:
            self.init(Self.status(of: error), error.description)
        default:
            self.init(.environment, "\(error)")
        }
    }

    static func status(of error: StoreError) -> CommandExit {
        switch error {
        case .unknownRun, .unknownTask, .unknownAttempt, .unknownTriggerRequest:
            return .notFound
        case .duplicateRun, .duplicateAttempt, .backupTargetUnusable:
            return .failure
        case .cannotCreate, .cannotOpen, .notWritable, .busy, .diskFull, .corrupt, .newerSchema,
             .unreadableValue, .invalidValue, .database:
            return .environment
        }
    }

    static func status(of error: EngineError) -> CommandExit {
        switch error {
        case .runNotFound, .unknownTasks:
            return .notFound
        case .invalidSnapshot, .runNotRetryable:
            return .failure
        case .environment:
            return .environment
        }
    }
}
