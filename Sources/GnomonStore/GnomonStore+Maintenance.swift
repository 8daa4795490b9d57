import Foundation
import GRDB
import Glibc

/// One attempt's log as the database records it (for `gnomon check`).
public struct RecordedLog: Sendable, Hashable {
    public var run: Int64
    public var task: String
    public var attempt: Int
    public var path: String
    /// The attempt's outcome kind (`nil` while it runs).
    public var outcome: String?
}

/// Backups and checks: a consistent copy while other processes write, the database's own checks.
extension GnomonStore {
    /// Copies the database into a new file at `path` with SQLite's online backup, from one read
    /// snapshot: every run committed before it began is in the copy, none half-written, and
    /// writers go on meanwhile (WAL). The copy is written beside `path` and renamed into place
    /// once complete, so `path` is never a partial copy. An existing `path` is never overwritten.
    public func backup(to path: String) throws {
        let partial = path + ".partial-\(getpid())"
        unlink(partial)
        do {
            let destination = try DatabaseQueue(path: partial)
            try writer.backup(to: destination)
            try destination.close()
        } catch {
            unlink(partial)
            throw StoreError.wrap(error, location: location, operation: "back up the database to \(path)")
        }
        // link() fails if `path` exists, where rename() would replace it.
        guard link(partial, path) == 0 else {
            let code = errno
            unlink(partial)
            throw StoreError.backupTargetUnusable(path: path, reason: String(cString: strerror(code)))
        }
        unlink(partial)
    }

    /// SQLite's `integrity_check` and `foreign_key_check`: each problem as a line, none when the
    /// database is sound.
    public func integrityProblems() throws -> [String] {
        try read("check the database's integrity") { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let keys = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").map { row -> String in
                let table: String = row["table"], parent: String = row["parent"]
                let rowid: Int64? = row["rowid"]
                return "\(table) row \(rowid.map(String.init) ?? "?") refers to a missing \(parent) row"
            }
            return integrity + keys
        }
    }

    /// Every attempt's log path, by run, task and attempt number.
    public func recordedLogs() throws -> [RecordedLog] {
        try read("list the attempts' logs") { db in
            try Row.fetchAll(db, sql: "SELECT run_id, task, number, log_path, outcome FROM attempts ORDER BY run_id, task, number")
                .map { RecordedLog(run: $0[0], task: $0[1], attempt: $0[2], path: $0[3], outcome: $0[4]) }
        }
    }
}
