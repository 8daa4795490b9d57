import Foundation
import GnomonEngine
import Synchronization

/// What wakes the daemon's loop besides its own timer.
enum DaemonMessage: Sendable, Hashable {
    /// A run the daemon executed has ended (finished, or suspended by a shutdown).
    case runEnded(job: String, run: Int64)
    /// The driver of a backfill the daemon drives has returned (done, or drained by a shutdown).
    case backfillEnded(Int64)
    /// SIGUSR1: a trigger request (or a backfill handed over by `gnomon backfill`) is waiting.
    case triggers
    /// SIGHUP: reload every job file.
    case reload
    /// SIGTERM or SIGINT: shut down.
    case shutdown(signal: Int32)
}

/// The daemon loop's mailbox: anyone posts, the loop waits for a message or a deadline.
final class Inbox: Sendable {
    private struct State {
        var messages: [DaemonMessage] = []
        var waiter: CheckedContinuation<Void, Never>?
        /// The current wait; a timer of an earlier wait that fires late is ignored.
        var waitID: UInt64 = 0
        /// The current wait's deadline passed before it started waiting.
        var expired = false
    }

    private let state = Mutex(State())

    func post(_ message: DaemonMessage) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.messages.append(message)
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns the waiting messages, waiting for one until `deadline` on `clock` if there are none
    /// (then returns an empty list).
    func wait(until deadline: Date, on clock: any EngineClock) async -> [DaemonMessage] {
        if let ready = takeAll() { return ready }
        guard deadline > clock.now() else { return [] }
        let id = state.withLock { state -> UInt64 in
            state.waitID &+= 1
            state.expired = false
            return state.waitID
        }
        let timer = Task { [self] in
            do {
                try await clock.sleep(until: deadline)
                expire(id)
            } catch {}
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if !state.messages.isEmpty || state.expired { return true }
                state.waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
        timer.cancel()
        return takeAll() ?? []
    }

    private func expire(_ id: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.waitID == id else { return nil }
            state.expired = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    private func takeAll() -> [DaemonMessage]? {
        state.withLock { state -> [DaemonMessage]? in
            guard !state.messages.isEmpty else { return nil }
            defer { state.messages = [] }
            return state.messages
        }
    }
}
