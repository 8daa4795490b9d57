import Foundation

/// A cron expression read in a time zone: fires at the instants whose local time matches.
///
/// Daylight-saving changes follow classic cron (see Docs/scheduling.md):
/// - an expression whose hour field is `*`, `?` or a step follows real time: it fires at every
///   instant whose local time matches, so both passes of a repeated hour and none of a skipped one;
/// - any other expression fires once per matching wall-clock time: a time inside a skipped hour
///   fires at the first instant after the gap, a time inside a repeated hour at its first pass.
///
/// Finding the next time is integer arithmetic: the zone's offsets are read from Foundation a few
/// years at a time and cached, shared by copies of the schedule.
public struct CronSchedule: Schedule, CustomStringConvertible {
    public let expression: CronExpression
    public let timeZone: TimeZone
    /// The zone's offset when it never changes (UTC and fixed-offset zones): the fast path.
    let fixedOffset: Int64?
    /// The zone's offset history otherwise.
    let offsets: ZoneOffsetTable?

    /// How far ahead a search looks: a whole 400-year Gregorian cycle plus a year, after which every
    /// pattern of dates and weekdays has come round again. An expression that passed
    /// ``CronExpression/parse(_:)`` always fires within it, so `nil` means "past the end of time".
    static let searchSpan: Int64 = 401 * 366 * CivilDate.secondsPerDay

    /// Instants further than this from 1970 (about 300,000 years) have no next time.
    static let supportedRange: Double = 1e13

    /// The schedule that fires when `expression` matches the local time in `timeZone`.
    public init(expression: CronExpression, timeZone: TimeZone = TimeZone(identifier: "UTC")!) {
        self.expression = expression
        self.timeZone = timeZone
        fixedOffset = ZoneOffsetTable.fixedOffset(of: timeZone)
        offsets = fixedOffset == nil ? ZoneOffsetTable(timeZone: timeZone) : nil
    }

    public var description: String { "\(expression.text) (\(timeZone.identifier))" }

    public func next(after date: Date) -> Date? {
        let seconds = date.timeIntervalSince1970
        guard seconds.magnitude < Self.supportedRange else { return nil }
        let after = Int64(seconds.rounded(.down))
        let next: Int64?
        if let offset = fixedOffset {
            next = expression.nextWall(after: after + offset, notAfter: after + offset + Self.searchSpan)
                .map { $0 - offset }
        } else if let offsets {
            next = expression.followsRealTime
                ? nextFollowingRealTime(after: after, offsets: offsets)
                : nextOncePerWallTime(after: after, offsets: offsets)
        } else {
            next = nil
        }
        guard let next, Double(next).magnitude < Self.supportedRange else { return nil }
        return Date(timeIntervalSince1970: Double(next))
    }

    /// The first instant after `after` whose local time matches.
    private func nextFollowingRealTime(after: Int64, offsets: ZoneOffsetTable) -> Int64? {
        var period = offsets.period(containing: after)
        let limit = after + period.offset + Self.searchSpan
        var floor = after + period.offset
        while let wall = expression.nextWall(after: floor, notAfter: limit) {
            if wall - period.offset < period.end { return wall - period.offset }
            // The match lies beyond this period: look again in the next one, from its first wall time.
            let boundary = period.end
            period = offsets.period(containing: boundary)
            floor = boundary + period.offset - 1
        }
        return nil
    }

    /// The instant for the first matching wall-clock time not yet served at `after`: its first
    /// occurrence, or the end of the gap when the time is skipped.
    private func nextOncePerWallTime(after: Int64, offsets: ZoneOffsetTable) -> Int64? {
        var period = offsets.period(containing: after)
        // The latest wall time already reached: during the second pass of a repeated hour, that is
        // the end of the first pass, whose times have all fired.
        var floor = after + period.offset
        if period.offsetBefore > period.offset {
            floor = max(floor, period.start - 1 + period.offsetBefore)
        }
        guard let wall = expression.nextWall(after: floor, notAfter: floor + Self.searchSpan) else {
            return nil
        }
        // Map the wall time to its first instant, walking forward through the zone's periods.
        while wall - period.offset >= period.end {
            let boundary = period.end
            period = offsets.period(containing: boundary)
            // A wall time between the two offsets' views of the boundary was skipped: the first
            // instant after the gap is the boundary itself.
            if wall < boundary + period.offset { return boundary }
        }
        return wall - period.offset
    }
}
