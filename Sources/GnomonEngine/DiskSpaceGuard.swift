import Foundation
import GnomonCore
import Synchronization

/// Holds new attempts back while the home's file system is short of free space
/// (`min_free_space`; Docs/daemon.md, *A full disk*), so a task does not start only to fail
/// mid-write, and lets them go once space returns.
///
/// A look is one `statvfs` of the home, about a microsecond, taken before every attempt.
///
/// It also keeps the current **wait episode**: from the first attempt held back to the first
/// look that finds enough space again, however many attempts wait and however often they look,
/// so that the event record is told once when attempts begin to wait and once when space returns
/// (``beginWait(_:job:run:task:)``, ``endWait()``).
public final class DiskSpaceGuard: Sendable {
    /// A shortage of free space, for a person.
    public struct Shortage: Sendable, Hashable {
        public var free: Int64
        public var needed: Int64
        public var folder: String

        /// `waiting for disk space: 300MiB free in /srv/gnomon, min_free_space needs 1GiB`
        public var reason: String { "waiting for disk space: " + measure }

        /// `300MiB free in /srv/gnomon, min_free_space needs 1GiB`
        public var measure: String {
            "\(Self.size(free)) free in \(folder), min_free_space needs \(Self.size(needed))"
        }

        /// Rounded to a binary unit, for reading rather than exactness.
        static func size(_ bytes: Int64) -> String {
            for (name, factor) in [("GiB", Int64(1) << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)] where bytes >= factor {
                return "\(bytes / factor)\(name)"
            }
            return "\(bytes)B"
        }
    }

    /// The attempt whose wait began an episode: the events of the episode are about it.
    public struct Episode: Sendable, Hashable {
        public var job: String
        public var run: Int64
        public var task: String
        public var shortage: Shortage
    }

    /// How often a waiting attempt looks again.
    public static let pollInterval = Duration.seconds(1)

    private let folder: String
    private let state: Mutex<FreeSpaceRule>
    private let episode = Mutex<Episode?>(nil)

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
        guard let look = look(), look.free < look.needed else { return nil }
        return look
    }

    /// The free space and what the rule needs now, short or not; `nil` when there is no rule or
    /// the folder cannot be measured.
    public func look() -> Shortage? {
        let rule = self.rule
        guard rule != .none else { return nil }
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else { return nil }
        let free = Int64(info.f_bavail) * Int64(info.f_frsize)
        let total = Int64(info.f_blocks) * Int64(info.f_frsize)
        return Shortage(free: free, needed: rule.threshold(total: total), folder: folder)
    }

    /// Whether attempts are waiting for space in this process (an episode is open).
    public var isWaiting: Bool { episode.withLock { $0 != nil } }

    /// Opens a wait episode for this attempt unless one is open already.
    /// - Returns: the new episode, or `nil` when another attempt's wait began it.
    public func beginWait(_ shortage: Shortage, job: String, run: Int64, task: String) -> Episode? {
        episode.withLock { open in
            guard open == nil else { return nil }
            open = Episode(job: job, run: run, task: task, shortage: shortage)
            return open
        }
    }

    /// Closes the open wait episode.
    /// - Returns: the episode closed, or `nil` when none was open (another attempt closed it).
    public func endWait() -> Episode? {
        episode.withLock { open in
            defer { open = nil }
            return open
        }
    }

    /// Forgets `opened` when it is still the open episode: its beginning could not be recorded,
    /// so the next attempt that waits tries again.
    public func forget(_ opened: Episode) {
        episode.withLock { open in
            if open == opened { open = nil }
        }
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
