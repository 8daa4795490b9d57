import Foundation
import GnomonEngine
import Synchronization

/// An `EngineClock` that moves only when a test advances it.
///
/// Sleepers wake when `advance` passes their time; a cancelled sleeper throws
/// `CancellationError` at once. `waitForSleepers` lets a test wait until the engine has set its
/// timers before it advances.
public final class ManualClock: EngineClock {
    private struct Sleeper {
        let id: UInt64
        let until: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        var nextID: UInt64 = 0
    }

    private let state: Mutex<State>

    /// A clock standing at `start` (by default 2027-01-15T08:00:00Z, a fixed readable instant).
    public init(start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Date { state.withLock { $0.now } }

    public func sleep(until date: Date) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                // Under the lock that the cancellation handler takes too: a task cancelled before
                // its sleeper is listed (the handler found nothing to wake) is seen here, since
                // the flag is set before the handler runs.
                let wake = state.withLock { state -> Result<Void, CancellationError>? in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if date <= state.now { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, until: date, continuation: continuation))
                    return nil
                }
                if let wake { continuation.resume(with: wake) }
            }
        } onCancel: {
            let sleeper = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the clock forward by `duration`, waking every sleeper whose time has come.
    public func advance(by duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        advance(to: now().addingTimeInterval(seconds))
    }

    /// Moves the clock to `date` (never backwards), waking every sleeper whose time has come.
    public func advance(to date: Date) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = max(state.now, date)
            let now = state.now
            let due = state.sleepers.filter { $0.until <= now }
            state.sleepers.removeAll { $0.until <= now }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    /// The wake times of everyone sleeping now, earliest first.
    public var pendingWakes: [Date] { state.withLock { $0.sleepers.map(\.until).sorted() } }

    /// Waits (real time, up to `limit`) until at least `count` sleepers are waiting.
    /// - Returns: whether they arrived in time.
    @discardableResult
    public func waitForSleepers(_ count: Int, limit: Duration = TestTiming.patience) async -> Bool {
        let clock = ContinuousClock()
        let end = clock.now + limit
        while clock.now < end {
            if state.withLock({ $0.sleepers.count }) >= count { return true }
            try? await Task.sleep(for: .milliseconds(2))
        }
        return state.withLock { $0.sleepers.count } >= count
    }
}
