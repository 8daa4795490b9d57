import Foundation
import GRDB

/// Something the store could not do, with where it happened and how to fix it.
///
/// `location` is the database file's path, or `in-memory database`.
public enum StoreError: Error, Sendable, Equatable {
    /// `$GNOMON_HOME` (or its database file) could not be created.
    case cannotCreate(path: String, reason: String)
    /// The database file could not be opened or read.
    case cannotOpen(location: String, reason: String)
    /// The database (or its folder) refuses writes.
    case notWritable(location: String, reason: String)
    /// Another connection held the database locked for longer than the busy timeout.
    case busy(location: String, operation: String, reason: String)
    /// The disk is full.
    case diskFull(location: String, operation: String)
    /// The file is not a SQLite database or is damaged.
    case corrupt(location: String, reason: String)
    /// A backup could not be put at `path` (it exists, or its folder cannot be written).
    case backupTargetUnusable(path: String, reason: String)
    /// The database was migrated by a newer Gnomon, which this one does not understand.
    case newerSchema(location: String, unknownMigrations: [String])
    /// A run for this job and scheduled time exists already (scheduled and catch-up runs only).
    case duplicateRun(job: String, scheduledAt: Date, existing: Int64)
    /// No run has this id.
    case unknownRun(location: String, run: Int64, operation: String)
    /// The run has no task with this name.
    case unknownTask(location: String, run: Int64, task: String, operation: String)
    /// The task has no attempt with this number.
    case unknownAttempt(location: String, run: Int64, task: String, number: Int)
    /// The attempt was recorded already.
    case duplicateAttempt(location: String, run: Int64, task: String, number: Int)
    /// No trigger request has this id.
    case unknownTriggerRequest(location: String, id: Int64)
    /// A stored value cannot be read back (written by a newer Gnomon, or edited by hand).
    case unreadableValue(location: String, table: String, column: String, value: String, context: String)
    /// A value given to the store breaks one of its rules (a CHECK or NOT NULL constraint).
    case invalidValue(location: String, operation: String, reason: String)
    /// Any other SQLite failure.
    case database(location: String, operation: String, reason: String)
}

extension StoreError: CustomStringConvertible, LocalizedError {
    public var description: String {
        switch self {
        case .cannotCreate(let path, let reason):
            return "could not create \(path): \(reason); check that $GNOMON_HOME points to a folder you can write"
        case .cannotOpen(let location, let reason):
            return "database at \(location) could not be opened: \(reason); check permissions of $GNOMON_HOME"
        case .notWritable(let location, let reason):
            return "database at \(location) is not writable: \(reason); check permissions of $GNOMON_HOME "
                + "and its files gnomon.db, gnomon.db-wal and gnomon.db-shm"
        case .busy(let location, let operation, let reason):
            return "database at \(location) stayed locked by another process while trying to \(operation): \(reason); "
                + "retry, and look for a stuck process holding the database (fuser \(location))"
        case .diskFull(let location, let operation):
            return "disk full while trying to \(operation) in database at \(location); free some space and retry"
        case .corrupt(let location, let reason):
            return "database at \(location) is damaged or not a Gnomon database: \(reason); "
                + "move it aside (history is lost) or restore a backup"
        case .backupTargetUnusable(let path, let reason):
            return "could not write the backup to \(path): \(reason); name a new file in a folder you can write "
                + "(a backup never replaces a file)"
        case .newerSchema(let location, let unknown):
            return "database at \(location) was upgraded by a newer gnomon (unknown migrations: "
                + "\(unknown.joined(separator: ", "))); upgrade gnomon or point $GNOMON_HOME elsewhere"
        case .duplicateRun(let job, let scheduledAt, let existing):
            return "job \(job) already has run \(existing) for its time \(StoreDate.jsonText(scheduledAt)); "
                + "a scheduled time runs once (see `gnomon show \(existing)`), use a manual run to run it again"
        case .unknownRun(let location, let run, let operation):
            return "no run \(run) in database at \(location) (while trying to \(operation)); list runs with `gnomon runs`"
        case .unknownTask(let location, let run, let task, let operation):
            return "run \(run) has no task \(task) in database at \(location) (while trying to \(operation)); "
                + "a run's tasks are fixed when it is created"
        case .unknownAttempt(let location, let run, let task, let number):
            return "run \(run) task \(task) has no attempt \(number) in database at \(location), so its end "
                + "cannot be recorded; the database was changed by something other than gnomon "
                + "(`gnomon show \(run)` shows what it holds)"
        case .duplicateAttempt(let location, let run, let task, let number):
            return "run \(run) task \(task) already has an attempt \(number) in database at \(location); "
                + "another gnomon process is running the same run (`gnomon show \(run)` names its runner)"
        case .unknownTriggerRequest(let location, let id):
            return "no trigger request \(id) in database at \(location)"
        case .unreadableValue(let location, let table, let column, let value, let context):
            return "cannot read \(table).\(column) value \"\(value)\" (\(context)) in database at \(location); "
                + "it was written by a newer gnomon or edited by hand; upgrade gnomon"
        case .invalidValue(let location, let operation, let reason):
            return "refused to \(operation) in database at \(location): \(reason)"
        case .database(let location, let operation, let reason):
            return "could not \(operation) in database at \(location): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

extension StoreError {
    /// Turns any error thrown while doing `operation` into a `StoreError` that names `location`.
    static func wrap(_ error: any Error, location: String, operation: String) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        guard let dbError = error as? DatabaseError else {
            return .database(location: location, operation: operation, reason: "\(error)")
        }
        let reason = dbError.message ?? "SQLite error \(dbError.resultCode.rawValue)"
        switch dbError.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return .busy(location: location, operation: operation, reason: reason)
        case .SQLITE_READONLY, .SQLITE_PERM:
            return .notWritable(location: location, reason: reason)
        case .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return .cannotOpen(location: location, reason: reason)
        case .SQLITE_FULL:
            return .diskFull(location: location, operation: operation)
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .corrupt(location: location, reason: reason)
        case .SQLITE_CONSTRAINT:
            return .invalidValue(location: location, operation: operation, reason: reason)
        default:
            return .database(location: location, operation: operation, reason: reason)
        }
    }
}
