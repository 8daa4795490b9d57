import Foundation
import GnomonStore

/// What a companion of the daemon (the HTTP server) may use while the daemon runs: its open
/// store, its folders, its health, and a nudge that makes it look for trigger requests now.
public struct DaemonHandle: Sendable {
    public let store: GnomonStore
    public let home: String
    public let jobsDirectory: String
    public let configPath: String?
    /// When this daemon started.
    public let startedAt: Date
    /// The jobs as the daemon last loaded them.
    public let board: JobBoard
    let inbox: Inbox
    let pulse: LoopPulse
    let clockNow: @Sendable () -> Date

    /// Makes the loop claim trigger requests at once (as SIGUSR1 does).
    public func nudgeTriggers() { inbox.post(.triggers) }

    /// How far the scheduler loop is behind: zero while it waits for its next wake-up, else how
    /// long ago that wake-up was due. Nil before its first turn.
    public func schedulerLag() -> TimeInterval? {
        guard let beat = pulse.last else { return nil }
        return max(0, clockNow().timeIntervalSince(beat.wake))
    }

    /// The daemon's clock.
    public func now() -> Date { clockNow() }
}

extension DaemonHandle {
    /// A handle over `store` with no daemon loop behind it: nudges go nowhere, the board is empty
    /// and there is no scheduler lag. For tests and tools that need the API's routes without a
    /// running daemon.
    public static func standalone(store: GnomonStore, home: String, jobsDirectory: String) -> DaemonHandle {
        DaemonHandle(
            store: store, home: home, jobsDirectory: jobsDirectory, configPath: nil, startedAt: Date(), board: JobBoard(),
            inbox: Inbox(), pulse: LoopPulse(), clockNow: { Date() })
    }
}
