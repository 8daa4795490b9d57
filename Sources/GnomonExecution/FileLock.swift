import Glibc

/// An exclusive `flock` on a file, the way Gnomon's one-holder guards take it (the daemon's lock
/// of its home, a backfill's lease): created if missing (mode 0600), close-on-exec so that no
/// task started by the holder keeps it, and never waited for: `retries` short tries cover a
/// reader that holds it shared for an instant to see whether somebody holds it.
public enum FileLock {
    public enum Outcome: Sendable {
        /// Taken: the open descriptor holds it until it is closed (or the process dies).
        case taken(Int32)
        /// A live process holds it.
        case held
        /// The file could not be opened or locked: why, for the caller's error.
        case failed(String)
    }

    /// Tries `1 + retries` times, `pause` microseconds apart.
    public static func takeExclusive(_ path: String, retries: Int, pause: UInt32) -> Outcome {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return .failed("cannot open \(path): \(String(cString: strerror(errno)))") }
        var attempts = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            attempts += 1
            guard code == EWOULDBLOCK || code == EINTR, attempts <= retries else {
                close(descriptor)
                return code == EWOULDBLOCK ? .held : .failed("cannot lock \(path): \(String(cString: strerror(code)))")
            }
            usleep(pause)
        }
        return .taken(descriptor)
    }
}
