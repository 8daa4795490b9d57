import Foundation
import Synchronization

/// A stretch of time during which a zone keeps one UTC offset, as seen from one instant.
struct OffsetPeriod: Sendable, Equatable {
    /// The first second of the period: a transition, or the edge of what has been loaded (then
    /// `offsetBefore == offset`).
    var start: Int64
    /// The first second after the period: the next transition, or the edge of what has been loaded
    /// (then the next period has the same offset).
    var end: Int64
    /// Seconds east of UTC: local wall time = instant + offset.
    var offset: Int64
    /// The offset just before `start`.
    var offsetBefore: Int64
}

/// A time zone's UTC-offset transitions, read from Foundation a few years at a time and then looked
/// up by binary search, so finding fire times in a zone makes no Foundation calls in the common case.
///
/// Shared by copies of one ``CronSchedule``; safe to use from any thread.
final class ZoneOffsetTable: Sendable {
    private struct Transition: Sendable {
        var at: Int64
        var before: Int64
        var after: Int64
    }

    private struct State: Sendable {
        /// Transitions in `[low, high)`, in order.
        var transitions: [Transition] = []
        var low: Int64 = 0
        var high: Int64 = 0
        var offsetAtLow: Int64 = 0
        var isEmpty = true
    }

    /// Years are loaded in chunks of 2^27 s (about 4.25 years): a few dozen Foundation calls each.
    private static let chunk: Int64 = 1 << 27
    /// Around any instant looked up, this much is loaded on both sides, more than the longest
    /// repeated or skipped stretch any zone has had (a day, when zones crossed the date line), so
    /// the transition that starts a period is never hidden behind a loading edge.
    private static let margin: Int64 = 3 * 86_400

    let timeZone: TimeZone
    private let state = Mutex(State())

    init(timeZone: TimeZone) {
        self.timeZone = timeZone
    }

    /// The offset of a zone that has never changed it (UTC, `Etc/GMT+5`), else `nil`.
    static func fixedOffset(of timeZone: TimeZone) -> Int64? {
        // 1653: before any zone's first recorded transition (local mean time ended after 1840).
        let longAgo = Date(timeIntervalSince1970: -1e10)
        guard timeZone.nextDaylightSavingTimeTransition(after: longAgo) == nil else { return nil }
        return Int64(timeZone.secondsFromGMT(for: longAgo))
    }

    /// The period that contains the instant `second` (Unix seconds).
    func period(containing second: Int64) -> OffsetPeriod {
        state.withLock { state in
            load(around: second, into: &state)
            let transitions = state.transitions
            // Index of the first transition after `second`.
            var lower = 0, upper = transitions.count
            while lower < upper {
                let middle = (lower + upper) / 2
                if transitions[middle].at <= second { lower = middle + 1 } else { upper = middle }
            }
            let end = lower < transitions.count ? transitions[lower].at : state.high
            guard lower > 0 else {
                return OffsetPeriod(start: state.low, end: end, offset: state.offsetAtLow,
                                    offsetBefore: state.offsetAtLow)
            }
            let previous = transitions[lower - 1]
            return OffsetPeriod(start: previous.at, end: end, offset: previous.after,
                                offsetBefore: previous.before)
        }
    }

    private func load(around second: Int64, into state: inout State) {
        let from = second - Self.margin, to = second + Self.margin
        if state.isEmpty {
            let low = CivilDate.floorDivide(from, Self.chunk) * Self.chunk
            state = State(transitions: [], low: low, high: low, offsetAtLow: offset(at: low), isEmpty: false)
        }
        while state.low > from {
            let newLow = state.low - Self.chunk
            state.transitions.insert(contentsOf: transitions(from: newLow, to: state.low), at: 0)
            state.low = newLow
            state.offsetAtLow = offset(at: newLow)
        }
        while state.high <= to {
            state.transitions += transitions(from: state.high, to: state.high + Self.chunk)
            state.high += Self.chunk
        }
    }

    /// The transitions in `[from, to)` that change the offset.
    private func transitions(from: Int64, to: Int64) -> [Transition] {
        var found: [Transition] = []
        var before = offset(at: from - 1)
        var cursor = Date(timeIntervalSince1970: Double(from - 1))
        while let next = timeZone.nextDaylightSavingTimeTransition(after: cursor), next > cursor {
            let at = Int64(next.timeIntervalSince1970.rounded())
            if at >= to { break }
            let after = offset(at: at)
            // Foundation also reports changes that keep the total offset (only the DST share moves).
            if at >= from, after != before {
                found.append(Transition(at: at, before: before, after: after))
                before = after
            }
            cursor = next
        }
        return found
    }

    private func offset(at second: Int64) -> Int64 {
        Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(second))))
    }
}
