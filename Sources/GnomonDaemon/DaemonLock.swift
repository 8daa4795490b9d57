import Foundation
import GnomonExecution

/// The one-daemon-per-home guard: an exclusive `flock` on `$GNOMON_HOME/daemon.lock`, held for the
/// daemon's life, plus `daemon.pid` naming the holder.
///
/// The kernel drops the lock when the process dies, however it dies, so a crashed daemon never
/// blocks the next one; the descriptor is close-on-exec, so a task that outlives the daemon does
/// not keep the lock either.
public final class DaemonLock: Sendable {
    public static let lockName = "daemon.lock"
    public static let pidName = "daemon.pid"

    public let home: String
    private let descriptor: Int32

    private init(home: String, descriptor: Int32) {
        self.home = home
        self.descriptor = descriptor
    }

    /// Takes the lock and writes the pid file, or says which process holds it.
    ///
    /// A few short retries (`retries` of 50 ms) cover a CLI command that holds the lock shared for
    /// an instant to see whether a daemon runs.
    public static func acquire(home: String, pid: Int32 = getpid(), retries: Int = 20) throws(DaemonError) -> DaemonLock {
        do {
            try FileManager.default.createDirectory(
                atPath: home, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw DaemonError.environment("cannot create the home folder \(home): \(error.localizedDescription)")
        }
        let path = lockPath(home)
        let descriptor: Int32
        switch FileLock.takeExclusive(path, retries: retries, pause: 50_000) {
        case .taken(let taken):
            descriptor = taken
        case .held:
            let holder = readPID(home).map { "process \($0)" } ?? "another process"
            throw DaemonError.alreadyRunning(
                "another gnomon daemon (\(holder)) already runs on \(home) (it holds \(path)); "
                    + "stop it first, or give this one another --home")
        case .failed(let problem):
            throw DaemonError.environment(problem)
        }
        let lock = DaemonLock(home: home, descriptor: descriptor)
        try lock.writePID(pid)
        return lock
    }

    /// Removes the pid file and drops the lock.
    public func release() {
        if Self.readPID(home) == getpid() { unlink(Self.pidPath(home)) }
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    private func writePID(_ pid: Int32) throws(DaemonError) {
        let path = Self.pidPath(home)
        let temporary = path + ".tmp"
        do {
            try Data("\(pid)\n".utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        } catch {
            throw DaemonError.environment("cannot write \(path): \(error.localizedDescription)")
        }
    }

    // MARK: - For other processes

    /// The pid of the daemon running on `home`, or nil if none holds the lock. Returns 0 when a
    /// daemon holds the lock but its pid file cannot be read.
    public static func runningDaemon(home: String) -> Int32? {
        let descriptor = open(lockPath(home), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return readPID(home) ?? 0
    }

    /// Wakes the daemon on `home` (SIGUSR1) so it looks for trigger requests now rather than at
    /// its next poll; returns false if no daemon could be signalled.
    @discardableResult
    public static func nudge(home: String) -> Bool {
        guard let pid = runningDaemon(home: home), pid > 0 else { return false }
        return kill(pid, SIGUSR1) == 0
    }

    static func lockPath(_ home: String) -> String { (home as NSString).appendingPathComponent(lockName) }
    static func pidPath(_ home: String) -> String { (home as NSString).appendingPathComponent(pidName) }

    static func readPID(_ home: String) -> Int32? {
        guard let text = try? String(contentsOfFile: pidPath(home), encoding: .utf8) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}

/// Why the daemon could not start or had to stop.
public enum DaemonError: Error, CustomStringConvertible, Sendable {
    /// Another daemon holds the home (exit 4).
    case alreadyRunning(String)
    /// The home, database or jobs folder cannot be used (exit 4).
    case environment(String)
    /// The jobs folder does not exist (exit 3).
    case notFound(String)

    public var description: String {
        switch self {
        case .alreadyRunning(let message), .environment(let message), .notFound(let message): return message
        }
    }
}
