import Foundation
import GnomonCore
import Synchronization

/// Holds new attempts back while the home's file system is short of free space
/// (`min_free_space`; Docs/daemon.md, *A full disk*), so a task does not start only to fail
/// mid-write, and lets them go once space returns.
///
/// A look is one `statvfs` of the home, about a microsecond, taken before every attempt, except
/// that a reading which found plenty of space is reused for a short while
/// (``reuseFor``, ``plentyAbove``): a run of short tasks then does not measure the disk for each.
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

    /// How long a reading that found plenty of space is reused (see ``plentyAbove``).
    public static let reuseFor = Duration.seconds(1)

    /// The free space, above what the rule needs, that makes a reading reusable: at least the
    /// rule's own threshold, and at least 1 GiB. Reused, a reading can let an attempt start past
    /// the threshold only when more than that was written within ``reuseFor`` (1 GiB a second),
    /// and then for at most that second; a small disk (a few GiB) is measured before every
    /// attempt once it is within 1 GiB of its threshold.
    public static func plentyAbove(needed: Int64) -> Int64 {
        max(needed, 1 << 30)
    }

    /// What one `statvfs` of the folder found: bytes free to an unprivileged user, and the size.
    public struct Reading: Sendable, Hashable {
        public var free: Int64
        public var total: Int64

        public init(free: Int64, total: Int64) {
            self.free = free
            self.total = total
        }
    }

    private struct State {
        var rule: FreeSpaceRule
        /// The last reading that may be reused, and until when.
        var reusable: (reading: Reading, until: ContinuousClock.Instant)?
    }

    private let folder: String
    private let state: Mutex<State>
    private let episode = Mutex<Episode?>(nil)
    private let measure: @Sendable (String) -> Reading?
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - Parameters:
    ///   - measure: reads the folder's file system (`statvfs`; tests pass a made-up disk).
    ///   - now: the monotonic time a reading is reused by.
    public init(
        folder: String, rule: FreeSpaceRule = .standard,
        measure: @escaping @Sendable (String) -> Reading? = DiskSpaceGuard.statvfsReading,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.folder = folder
        self.state = Mutex(State(rule: rule))
        self.measure = measure
        self.now = now
    }

    /// The rule in force; the daemon sets it from the settings file (and again on SIGHUP). A new
    /// rule is judged on a new reading.
    public var rule: FreeSpaceRule {
        get { state.withLock { $0.rule } }
        set { state.withLock { $0 = State(rule: newValue) } }
    }

    /// One `statvfs` of `folder`; `nil` when it cannot be measured.
    @Sendable
    public static func statvfsReading(_ folder: String) -> Reading? {
        var info = statvfs()
        guard statvfs(folder, &info) == 0 else { return nil }
        return Reading(free: Int64(info.f_bavail) * Int64(info.f_frsize), total: Int64(info.f_blocks) * Int64(info.f_frsize))
    }

    /// The shortage now, or `nil` when there is enough space (or it cannot be measured: a
    /// missing folder is the attempt's own problem to report).
    public func shortage() -> Shortage? {
        guard let look = look(), look.free < look.needed else { return nil }
        return look
    }

    /// The free space and what the rule needs now, short or not; `nil` when there is no rule or
    /// the folder cannot be measured. A reading that found plenty of space (``plentyAbove``) less
    /// than ``reuseFor`` ago is used again instead of a new one.
    public func look() -> Shortage? {
        let at = now()
        let (rule, reused) = state.withLock { state -> (FreeSpaceRule, Reading?) in
            guard let reusable = state.reusable, at < reusable.until else { return (state.rule, nil) }
            return (state.rule, reusable.reading)
        }
        guard rule != .none else { return nil }
        guard let reading = reused ?? measure(folder) else { return nil }
        let needed = rule.threshold(total: reading.total)
        if reused == nil, reading.free - needed >= Self.plentyAbove(needed: needed) {
            state.withLock { state in
                // Unless the rule changed meanwhile: a new rule is judged on a new reading.
                if state.rule == rule { state.reusable = (reading, at + Self.reuseFor) }
            }
        }
        return Shortage(free: reading.free, needed: needed, folder: folder)
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
