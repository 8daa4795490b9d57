/// One of the five fields of a cron expression: its name, bounds and the names it accepts.
struct CronField: Sendable {
    enum Kind: Sendable { case minute, hour, dayOfMonth, month, dayOfWeek }

    let kind: Kind
    /// The name used in messages, e.g. `day-of-month`.
    let name: String
    let minimum: Int
    let maximum: Int
    /// The largest value `*` stands for (6 for day-of-week, where 7 is only another Sunday).
    let wildcardMaximum: Int
    /// Names accepted for values (`JAN`...`DEC`, `SUN`...`SAT`); `names[i]` is value `i + nameBase`.
    let names: [String]
    let nameBase: Int
    /// How the names are described in messages, e.g. `a month name (JAN-DEC)`.
    let namesDescription: String

    static let minute = CronField(kind: .minute, name: "minute", minimum: 0, maximum: 59,
                                  wildcardMaximum: 59, names: [], nameBase: 0, namesDescription: "")
    static let hour = CronField(kind: .hour, name: "hour", minimum: 0, maximum: 23,
                                wildcardMaximum: 23, names: [], nameBase: 0, namesDescription: "")
    static let dayOfMonth = CronField(kind: .dayOfMonth, name: "day-of-month", minimum: 1, maximum: 31,
                                      wildcardMaximum: 31, names: [], nameBase: 0, namesDescription: "")
    static let month = CronField(
        kind: .month, name: "month", minimum: 1, maximum: 12, wildcardMaximum: 12,
        names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
        nameBase: 1, namesDescription: "a month name (JAN-DEC)")
    static let dayOfWeek = CronField(
        kind: .dayOfWeek, name: "day-of-week", minimum: 0, maximum: 7, wildcardMaximum: 6,
        names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"],
        nameBase: 0, namesDescription: "a weekday name (SUN-SAT)")

    /// The fields in the order an expression lists them.
    static let all: [CronField] = [minute, hour, dayOfMonth, month, dayOfWeek]

    /// The largest step: one less than the number of distinct values, so a step always lands on a
    /// second value (`*/60` in the minute field would silently mean "minute 0").
    var maximumStep: Int { wildcardMaximum - minimum }
}

/// What one field allows once parsed.
struct CronFieldValue: Sendable {
    /// Bit *n* set when value *n* is allowed (day-of-week 7 is folded onto 0).
    var mask: UInt64 = 0
    /// `L` in the day-of-month field.
    var lastDay = false
    /// `5L` items in the day-of-week field, as weekday bits.
    var lastWeekdays: UInt64 = 0
    /// `1#2` items in the day-of-week field, bit `weekday * 5 + occurrence - 1`.
    var nthWeekdays: UInt64 = 0
    /// The field is exactly `*` or `?`.
    var isWildcard = false
    /// The field uses `*`, `?` or a step anywhere (for the hour field: it follows real time).
    var hasWildcardOrStep = false
}
