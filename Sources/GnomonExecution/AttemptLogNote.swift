import Glibc

/// Writes the log of an attempt that never reached an executor (for example a container task on
/// a machine with no container runtime), so its log says why, like any attempt that could not start.
public enum AttemptLogNote {
    public static func write(_ reason: String, to path: String) {
        guard case .success(let descriptor) = AttemptLog.create(at: path) else { return }
        AttemptLog.recordCouldNotStart(reason, to: descriptor)
        close(descriptor)
    }
}
