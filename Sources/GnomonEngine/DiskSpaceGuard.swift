import Foundation
import GnomonCore
import Synchronization

/// Holds new attempts back while the home's file system is short of free space
/// (`min_free_space`; Docs/daemon.md, *A full disk*), so a task does not start only to fail
/// mid-write, and lets them go once space returns.
///
/// A look is one `statvfs` of the home, about a microsecond, taken before every attempt.
public final class DiskSpaceGuard: Sendable {
    /// A shortage of free space, for a person.
    public struct Shortage: Sendable, Hashable {
        public var free: Int64
        public var needed: Int64
        public var folder: String

        /// `waiting for disk space: 300MiB free in /srv/gnomon, min_free_space needs 1GiB`
        public var reason: String {
            "waiting for disk space: \(Self.size(free)) free in \(folder), min_free_space needs \(Self.size(needed))"
        }

        /// Rounded to a binary unit, for reading rather than exactness.
        static func size(_ bytes: Int64) -> String {
            for (name, factor) in [("GiB", Int64(1) << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= factor {
                return "\(bytes / factor)\(name)"
            }
            return "\(bytes)B"
        }
    }

    /// How often a waiting attempt looks again.
    public static let pollInterval = Duration.seconds(1)

    private let folder: String
    private let state: Mutex<FreeSpaceRule>

    public init(folder: String, rule: FreeSpaceRule = .standard) {
        self.folder = folder
        self.state = Mutex(rule)
    }

    /// The rule in force; the daemon sets it from the settings file (and again on SIGHUP).
    public var rule: FreeSpaceRule {
        get { state.withLock { $0 } }
        set { state.withLock { $0 = newValue } }
    }

    /// The shortage now, or `nil` when there is enough space (or it cannot be measured: a
    /// missing folder is the attempt's own problem to report).
    public func shortage() -> Shortage? {
        let rule = self.rule
        guard rule != .none else { return nil }
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else { return nil }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        let total = Int64(info.f_blocks) * Int64(info.f_frsize)
        let needed = rule.threshold(total: total)
        if free >= needed { return nil }
        return Shortage(free: free, needed: needed, folder: folder)
    }

    /// Waits until there is enough space, looking every ``pollInterval``.
    /// - Returns: false if the calling task was cancelled first.
    public func waitForSpace() async -> Bool {
        while shortage() != nil {
            do { try await Task.sleep(for: Self.pollInterval) } catch { return false }
        }
        return true
    }
}
