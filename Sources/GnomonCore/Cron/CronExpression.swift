/// A parsed five-field cron expression: minute, hour, day of month, month and day of week.
///
/// The fields are kept as bitmasks (bit *n* set means value *n* is allowed), so matching a
/// wall-clock time and finding the next one are a handful of integer operations. An expression
/// knows nothing about time zones: it describes wall-clock times, and ``CronSchedule`` maps them
/// to instants in a zone. Build one with ``parse(_:)``.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The expression as written, without surrounding whitespace (`"*/15 9-17 * * mon-fri"`,
    /// `"@daily"`).
    public let text: String

    /// Whether the expression follows real time across daylight-saving changes: true when the hour
    /// field is written with `*`, `?` or a step (`*/2`, `8-18/2`). Such an expression fires at every
    /// real instant whose local time matches (both passes of a repeated hour, none in a skipped
    /// one); any other expression fires once per matching wall-clock time. See Docs/scheduling.md.
    public let followsRealTime: Bool

    /// Allowed minutes, bits 0...59.
    let minutes: UInt64
    /// Allowed hours, bits 0...23.
    let hours: UInt64
    /// Allowed days of the month, bits 1...31 (without `L`).
    let daysOfMonth: UInt64
    /// `L` in the day-of-month field: the last day of each month.
    let lastDayOfMonth: Bool
    /// Allowed months, bits 1...12.
    let months: UInt64
    /// Whether the day-of-month field is `*` or `?` (it then leaves the choice of day to the
    /// day-of-week field; when both are restricted a day matches either).
    let dayOfMonthIsWildcard: Bool
    /// Whether the day-of-week field is `*` or `?`.
    let dayOfWeekIsWildcard: Bool
    /// For each weekday of the 1st (0 = Sunday) and month length 28...31, the days of that month
    /// the day-of-week field allows (plain weekdays, `5L` and `1#2`), indexed by
    /// `firstWeekday * 4 + (length - 28)`.
    let weekdayDayMasks: [UInt64]

    init(text: String, followsRealTime: Bool, minutes: UInt64, hours: UInt64, daysOfMonth: UInt64,
         lastDayOfMonth: Bool, months: UInt64, weekdays: UInt64, lastWeekdays: UInt64,
         nthWeekdays: UInt64, dayOfMonthIsWildcard: Bool, dayOfWeekIsWildcard: Bool) {
        self.text = text
        self.followsRealTime = followsRealTime
        self.minutes = minutes
        self.hours = hours
        self.daysOfMonth = daysOfMonth
        self.lastDayOfMonth = lastDayOfMonth
        self.months = months
        self.dayOfMonthIsWildcard = dayOfMonthIsWildcard
        self.dayOfWeekIsWildcard = dayOfWeekIsWildcard
        var masks: [UInt64] = []
        masks.reserveCapacity(28)
        for firstWeekday in 0..<7 {
            for length in 28...31 {
                var mask: UInt64 = 0
                for day in 1...length {
                    let weekday = (firstWeekday + day - 1) % 7
                    let occurrence = (day - 1) / 7 + 1
                    let isLast = day + 7 > length
                    if weekdays & (1 << weekday) != 0
                        || nthWeekdays & (1 << (weekday * 5 + occurrence - 1)) != 0
                        || (isLast && lastWeekdays & (1 << weekday) != 0) {
                        mask |= 1 << day
                    }
                }
                masks.append(mask)
            }
        }
        weekdayDayMasks = masks
    }

    public var description: String { text }

    /// The days of a month that match, as bits 1...`length`.
    ///
    /// - Parameters:
    ///   - length: the month's number of days (28...31).
    ///   - firstWeekday: the weekday of its 1st, 0 = Sunday.
    @inline(__always)
    func dayMask(length: Int, firstWeekday: Int) -> UInt64 {
        let monthDays: UInt64 = ((1 << UInt64(length + 1)) - 1) & ~1
        if dayOfMonthIsWildcard && dayOfWeekIsWildcard { return monthDays }
        let byWeekday = weekdayDayMasks[firstWeekday &* 4 &+ (length &- 28)]
        if dayOfMonthIsWildcard { return byWeekday }
        var byDay = daysOfMonth
        if lastDayOfMonth { byDay |= 1 << UInt64(length) }
        byDay &= monthDays
        // Classic cron: when both day fields are restricted, a day matching either one matches.
        return dayOfWeekIsWildcard ? byDay : byDay | byWeekday
    }

    /// Whether the wall-clock time `wall` (seconds of local time since 1970-01-01T00:00) matches.
    func matches(wall: Int64) -> Bool {
        let days = CivilDate.floorDivide(wall, CivilDate.secondsPerDay)
        let secondOfDay = wall - days * CivilDate.secondsPerDay
        guard secondOfDay % 60 == 0 else { return false }
        let date = CivilDate(days: days)
        let hour = Int(secondOfDay / 3600), minute = Int(secondOfDay / 60 % 60)
        let length = CivilDate.monthLength(year: date.year, month: date.month)
        let firstWeekday = CivilDate.weekday(days: days - Int64(date.day - 1))
        return months & (1 << UInt64(date.month)) != 0
            && dayMask(length: length, firstWeekday: firstWeekday) & (1 << UInt64(date.day)) != 0
            && hours & (1 << UInt64(hour)) != 0
            && minutes & (1 << UInt64(minute)) != 0
    }
}

extension CronExpression {
    /// The shortest time, in minutes, between two successive times of day the expression allows,
    /// counting the wrap past midnight (1440 when it allows one time a day).
    var shortestGapMinutes: Int64 {
        var first: Int?, previous: Int?
        var shortest = 1440
        for hour in 0..<24 where hours & (1 << UInt64(hour)) != 0 {
            for minute in 0..<60 where minutes & (1 << UInt64(minute)) != 0 {
                let time = hour * 60 + minute
                if let previous { shortest = min(shortest, time - previous) }
                if first == nil { first = time }
                previous = time
            }
        }
        if let first, let previous, first != previous { shortest = min(shortest, first + 1440 - previous) }
        return Int64(shortest)
    }
}
