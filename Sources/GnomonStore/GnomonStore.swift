import Foundation
import Glibc
import GRDB

/// Gnomon's history: every run, task, attempt and scheduling decision, in one SQLite file.
///
/// The file is `$GNOMON_HOME/gnomon.db` in WAL mode, so other processes (the CLI, the daemon) read
/// while a run writes. Each method is one short transaction; writes wait up to 10 s for a lock held
/// by another process. `synchronous = NORMAL`: a commit survives the death of any process, but the
/// last commits before a power loss or kernel crash may be lost (the database stays consistent).
///
/// Methods are synchronous and thread-safe: call them from any thread or actor.
public final class GnomonStore: Sendable {
    /// The database file's path; nil for an in-memory store.
    public let path: String?
    /// The file's path, or `in-memory database`, for error messages.
    let location: String
    let writer: any DatabaseWriter

    /// How long a write waits for another connection's lock before failing.
    ///
    /// Without a busy timeout a second writer process fails at once with `database is locked`
    /// (measured, see FACTS.md); 10 s outlasts any transaction this store makes by far.
    public static let busyTimeout: TimeInterval = 10

    /// The name of the database file inside `$GNOMON_HOME`.
    public static let fileName = "gnomon.db"

    private init(path: String?, writer: any DatabaseWriter) {
        self.path = path
        self.location = path ?? "in-memory database"
        self.writer = writer
    }

    /// Opens (creating on first use) `home/gnomon.db`, migrating it to the current schema.
    ///
    /// A missing `home` folder is created with mode 0700 and a missing database file with 0600;
    /// existing ones keep their modes.
    public static func open(home: String) throws -> GnomonStore {
        let path = (home as NSString).appendingPathComponent(fileName)
        try createHome(home)
        try createFile(path)
        // Two processes creating the same new database can meet SQLITE_BUSY where SQLite calls
        // no busy handler (switching the new file to WAL); try again for the busy timeout.
        let deadline = Date().addingTimeInterval(busyTimeout)
        while true {
            do {
                return try openExisting(path)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                guard Date() < deadline else { throw openError(error, path: path) }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    private static func openExisting(_ path: String) throws -> GnomonStore {
        try refuseNewerSchema(path)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration())
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw error
        } catch {
            throw openError(error, path: path)
        }
        let store = GnomonStore(path: path, writer: pool)
        try store.migrate()
        return store
    }

    /// Refuses a database migrated by a newer Gnomon before anything is written to it: opening it
    /// for writing (GRDB's pool makes and drops a table to create the WAL) would already change
    /// its bytes. Read through a read-only connection; any other problem is left to the real open.
    private static func refuseNewerSchema(_ path: String) throws {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
              size.intValue > 0 else { return }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeout)
        let unknown: Set<String>
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let migrator = StoreSchema.migrator
            unknown = try queue.read { db in try migrator.appliedIdentifiers(db).subtracting(migrator.migrations) }
            try queue.close()
        } catch {
            return
        }
        guard unknown.isEmpty else {
            throw StoreError.newerSchema(location: path, unknownMigrations: unknown.sorted())
        }
    }

    private static func openError(_ error: any Error, path: String) -> any Error {
        let wrapped = StoreError.wrap(error, location: path, operation: "open the database")
        if case .database(let location, _, let reason) = wrapped {
            return StoreError.cannotOpen(location: location, reason: reason)
        }
        return wrapped
    }

    /// A fresh store that lives in memory only, for tests.
    public static func inMemory() throws -> GnomonStore {
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(configuration: configuration())
        } catch {
            throw StoreError.wrap(error, location: "in-memory database", operation: "open the database")
        }
        let store = GnomonStore(path: nil, writer: queue)
        try store.migrate()
        return store
    }

    /// The connection settings every Gnomon process uses.
    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "gnomon"
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // Durable against process crashes; a power loss may drop the last commits (WAL only).
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Applies the migrations this version knows, refusing a database migrated by a newer one.
    private func migrate() throws {
        let migrator = StoreSchema.migrator
        do {
            let unknown = try writer.read { db in
                try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
            }
            guard unknown.isEmpty else {
                throw StoreError.newerSchema(location: location, unknownMigrations: unknown.sorted())
            }
            // Processes opening the same new file take turns (an flock on a lock file beside it;
            // never an open() of the database itself: closing any descriptor of it would drop
            // SQLite's fcntl locks for the whole process), so one creates the schema and the
            // others find it done.
            let lock = path.map { Glibc.open($0 + "-migrate.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600) } ?? -1
            if lock >= 0 { flock(lock, LOCK_EX) }
            defer { if lock >= 0 { flock(lock, LOCK_UN); close(lock) } }
            do {
                try Self.createIfEmpty(writer)
                try migrator.migrate(writer)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                throw error
            } catch {
                // Two processes opening a new file at once: the loser's migration clashes with
                // tables the winner created. That is fine once every migration is recorded.
                let complete = try writer.read { db in try migrator.hasCompletedMigrations(db) }
                if !complete { throw error }
            }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw error
        } catch {
            throw StoreError.wrap(error, location: location, operation: "create or upgrade the schema")
        }
    }

    /// Makes a new, empty database one whose free pages can be given back to the file system a
    /// few at a time (`auto_vacuum = INCREMENTAL`, see `reclaimFreePages`), then gives it the
    /// whole schema in one transaction (``StoreSchema/createFresh(_:)``). The mode can only be
    /// chosen before the first table exists; an older file keeps its mode until
    /// `gnomon prune --vacuum` rewrites it (Docs/storage.md). A database with tables is left to
    /// the migrations.
    private static func createIfEmpty(_ writer: any DatabaseWriter) throws {
        try writer.writeWithoutTransaction { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0 else { return }
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            // In WAL mode the new mode takes effect only through a VACUUM, instant on an empty file.
            try db.execute(sql: "VACUUM")
            try db.inTransaction {
                try StoreSchema.createFresh(db)
                return .commit
            }
        }
    }

    /// Creates `home` (mode 0700) if it does not exist.
    private static func createHome(_ home: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: home, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError.cannotCreate(path: home, reason: "it exists and is not a folder")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            // The umask may have removed bits; the folder is private to its owner either way.
            _ = chmod(home, 0o700)
        } catch {
            throw StoreError.cannotCreate(path: home, reason: error.localizedDescription)
        }
    }

    /// Creates an empty database file with mode 0600 if none exists (SQLite gives its -wal and -shm
    /// files the same mode).
    private static func createFile(_ path: String) throws {
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor >= 0 {
            _ = fchmod(descriptor, 0o600)
            _ = close(descriptor)
            return
        }
        let code = errno
        if code == EEXIST { return }
        let reason = String(cString: strerror(code))
        if code == EACCES || code == EROFS || code == EPERM {
            throw StoreError.notWritable(location: path, reason: reason)
        }
        throw StoreError.cannotCreate(path: path, reason: reason)
    }

    // MARK: - Transactions

    /// Runs `body` in one write transaction (rolled back if it throws), naming `operation` in errors.
    ///
    /// BEGIN and COMMIT run as cached prepared statements: GRDB's `write` parses both again on
    /// every call, which cost about a tenth of a small transaction (Docs/performance.md).
    func write<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.writeWithoutTransaction { db in
                try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
                do {
                    let result = try body(db)
                    try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                    return result
                } catch {
                    // A no-op when SQLite already rolled back (disk full, I/O error); the first
                    // error is the one worth reporting.
                    try? db.rollback()
                    throw error
                }
            }
        } catch {
            throw StoreError.wrap(error, location: location, operation: operation())
        }
    }

    /// Runs `body` in one read transaction (a consistent snapshot), naming `operation` in errors.
    func read<T>(_ operation: @autoclosure () -> String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch {
            throw StoreError.wrap(error, location: location, operation: operation())
        }
    }
}
