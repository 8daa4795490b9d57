import Foundation
import Synchronization

/// The daemon loop's latest turn that left nothing due: when it was (on the daemon's clock) and
/// when the loop wakes next unless a message comes first.
///
/// A test driving the daemon with a manual clock advances the clock, then waits until a beat at
/// or after the new time: every fire time up to it has then been decided and recorded.
final class LoopPulse: Sendable {
    struct Beat: Sendable, Hashable {
        /// The clock's time the turn read.
        var at: Date
        /// When the loop will look again by itself (next due time, trigger poll or reload).
        var wake: Date
        /// The runs executing, by id.
        var active: Set<Int64>
    }

    private let state = Mutex<Beat?>(nil)

    func beat(at: Date, wake: Date, active: Set<Int64>) {
        state.withLock { $0 = Beat(at: at, wake: wake, active: active) }
    }

    /// The latest beat, nil before the first turn ended.
    var last: Beat? { state.withLock { $0 } }
}
