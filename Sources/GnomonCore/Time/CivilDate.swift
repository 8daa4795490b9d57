/// Proleptic Gregorian calendar arithmetic on whole days, without Foundation's `Calendar`.
///
/// Days are counted from 1970-01-01 (day 0), the same origin as Unix time, so a count of seconds
/// of "wall-clock time" splits into a day number and a time of day by plain division. The
/// conversions are Howard Hinnant's `days_from_civil` / `civil_from_days` algorithms, exact over
/// the whole `Int64` range this package uses.
struct CivilDate: Hashable, Sendable {
    var year: Int64
    /// 1...12
    var month: Int
    /// 1...31
    var day: Int

    /// Seconds in a civil day (wall-clock time has no leap seconds).
    static let secondsPerDay: Int64 = 86_400

    /// The date `days` days after 1970-01-01.
    init(days: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    init(year: Int64, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days from 1970-01-01 to this date (negative before it).
    var days: Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Whether `year` has a 29 February.
    static func isLeapYear(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Number of days in `month` (1...12) of `year`.
    static func monthLength(year: Int64, month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Day of the week of the day `days` after 1970-01-01: 0 is Sunday ... 6 is Saturday.
    static func weekday(days: Int64) -> Int {
        // 1970-01-01 was a Thursday (4); `days % 7` is in -6...6, so adding 11 keeps it positive.
        Int((days % 7 + 11) % 7)
    }

    /// `value / divisor` rounded toward negative infinity.
    static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let q = value / divisor
        return (value % divisor != 0 && (value < 0) != (divisor < 0)) ? q - 1 : q
    }
}
