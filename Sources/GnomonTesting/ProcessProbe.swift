import Foundation
import Glibc

/// Looks at processes and files that tasks leave behind, waiting briefly where signals and
/// writes arrive asynchronously.
public enum ProcessProbe {
    /// Whether `pid` is gone or a zombie (killed, only waiting for a reaper that is not ours:
    /// orphans go to PID 1, which need not reap them in a sandbox).
    public static func isGone(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return true }
        let stat = String(decoding: data, as: UTF8.self)
        // "pid (comm) S ...": the state follows the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return false }
        let rest = stat[stat.index(after: close)...].drop(while: { $0 == " " })
        return rest.first == "Z" || rest.first == "X"
    }

    /// Waits up to `limit` for `pid` to be gone; returns whether it is.
    public static func waitUntilGone(_ pid: Int32, limit: Duration = .seconds(10)) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while clock.now < end {
            if isGone(pid) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return isGone(pid)
    }

    /// Waits up to `limit` for `path` to hold a whole line, and returns its text.
    public static func waitForLine(in path: String, limit: Duration = TestTiming.patience) async -> String? {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while clock.now < end {
            if let data = FileManager.default.contents(atPath: path) {
                let text = String(decoding: data, as: UTF8.self)
                if text.hasSuffix("\n") { return text }
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return nil
    }

    /// Waits for a pid a task wrote to `path` (one number and a newline).
    public static func waitForPID(in path: String, limit: Duration = TestTiming.patience) async -> Int32? {
        guard let text = await waitForLine(in: path, limit: limit) else { return nil }
        return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The size of a file in bytes, nil if it does not exist.
    public static func fileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }
}
