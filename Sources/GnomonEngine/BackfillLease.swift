import Foundation
import GnomonExecution

/// The right to drive one backfill: an exclusive `flock` on `$GNOMON_HOME/backfills/ID.lock`,
/// held by the one process that creates the backfill's runs (a foreground `gnomon backfill`, or
/// the daemon) for as long as it drives them.
///
/// The kernel drops the lock when its holder dies, however it dies, so "nobody holds the lease"
/// is exactly "no live process drives the backfill": the daemon adopts a backfill only when it
/// can take its lease, and a foreground command that cannot take it follows the backfill instead
/// of driving it. Two drivers of one backfill at once are impossible, whichever starts first.
/// The descriptor is close-on-exec, so a task a driver started never holds the lease.
public final class BackfillLease: Sendable {
    public let home: String
    public let backfill: Int64
    private let descriptor: Int32

    private init(home: String, backfill: Int64, descriptor: Int32) {
        self.home = home
        self.backfill = backfill
        self.descriptor = descriptor
    }

    /// The lease file of backfill `id` under `home`.
    public static func path(home: String, backfill id: Int64) -> String {
        (home as NSString).appendingPathComponent("backfills/\(id).lock")
    }

    /// Takes backfill `id`'s lease, or returns nil when a live process holds it.
    ///
    /// A few short retries (`retries` of 10 ms) cover a follower that holds the lock shared for
    /// an instant to see whether somebody drives the backfill.
    public static func take(home: String, backfill id: Int64, retries: Int = 5) throws(EngineError) -> BackfillLease? {
        let path = path(home: home, backfill: id)
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw EngineError.environment("cannot create \(folder) for the lease of backfill \(id): \(error.localizedDescription)")
        }
        switch FileLock.takeExclusive(path, retries: retries, pause: 10_000) {
        case .taken(let descriptor): return BackfillLease(home: home, backfill: id, descriptor: descriptor)
        case .held: return nil
        case .failed(let problem): throw EngineError.environment("the lease of backfill \(id): \(problem)")
        }
    }

    /// Whether a live process holds backfill `id`'s lease (drives the backfill) now.
    public static func isHeld(home: String, backfill id: Int64) -> Bool {
        let descriptor = open(path(home: home, backfill: id), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }

    /// Drops the lease; with `finished` (the backfill is over and nobody drives it again) its
    /// file is removed first.
    public func release(finished: Bool = false) {
        if finished { unlink(Self.path(home: home, backfill: backfill)) }
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
