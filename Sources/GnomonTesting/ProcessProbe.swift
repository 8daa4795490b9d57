import Glibc

/// Looks at processes and files that tasks leave behind, waiting briefly where signals and
/// writes arrive asynchronously. Plain POSIX calls and `/proc`, no Foundation.
public enum ProcessProbe {
    /// Whether `pid` is gone or a zombie (killed, only waiting for a reaper that is not ours:
    /// orphans go to PID 1, which need not reap them in a sandbox).
    public static func isGone(_ pid: Int32) -> Bool {
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        guard let state = state(of: pid) else { return true }
        return state == "Z" || state == "X"
    }

    /// Whether any process of group `pgid` is alive and not a zombie.
    public static func groupIsRunning(_ pgid: Int32) -> Bool {
        guard let directory = opendir("/proc") else { return kill(-pgid, 0) == 0 }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard let pid = Int32(name), let fields = statFields(of: pid), fields.count > 2 else { continue }
            if Int32(fields[2]) == pgid, fields[0] != "Z", fields[0] != "X" { return true }
        }
        return false
    }

    /// Waits up to `limit` for `pid` to be gone; returns whether it is.
    public static func waitUntilGone(_ pid: Int32, limit: Duration = .seconds(10)) async -> Bool {
        await eventually(within: limit, every: .milliseconds(20)) { isGone(pid) }
    }

    /// Waits up to `limit` for `path` to hold a whole line, and returns its text.
    public static func waitForLine(in path: String, limit: Duration = TestTiming.patience) async -> String? {
        var text: String?
        let found = await eventually(within: limit, every: .milliseconds(10)) {
            text = readText(path)
            return text?.hasSuffix("\n") == true
        }
        return found ? text : nil
    }

    /// Waits for a pid a task wrote to `path` (one number and a newline).
    public static func waitForPID(in path: String, limit: Duration = TestTiming.patience) async -> Int32? {
        guard let text = await waitForLine(in: path, limit: limit) else { return nil }
        return Int32(text.filter { !$0.isWhitespace })
    }

    /// The bytes of a file, nil if it cannot be opened.
    public static func readBytes(_ path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[..<count])
        }
        return bytes
    }

    /// The text of a file (invalid UTF-8 repaired), nil if it cannot be opened.
    public static func readText(_ path: String) -> String? {
        readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Whether `path` exists (following links).
    public static func fileExists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// The size of a file in bytes, nil if it does not exist.
    public static func fileSize(_ path: String) -> Int? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int(info.st_size)
    }

    /// The fields of `/proc/PID/stat` after the command: state, ppid, pgrp, ...
    private static func statFields(of pid: Int32) -> [Substring]? {
        // "pid (comm) S ...": the command may hold spaces and parentheses, so the fields
        // start after the last ')'.
        guard let stat = readText("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(after: close)...].split(separator: " ", maxSplits: 4)
    }

    /// The one-letter state of `pid` (R, S, Z...), nil if it cannot be read.
    private static func state(of pid: Int32) -> Substring? {
        statFields(of: pid)?.first
    }
}
