extension CronExpression {
    /// The first wall-clock time strictly after `wall` that matches, or `nil` if there is none up to
    /// `limit`.
    ///
    /// Both are "wall seconds": seconds of local civil time counted from 1970-01-01T00:00, so the
    /// search is integer arithmetic on bitmasks (next allowed month, day, hour, minute) with no
    /// calendar or time-zone calls. It skips whole months and days that cannot match, so even a
    /// rare expression (`0 0 29 2 mon`) costs a few hundred steps at most.
    func nextWall(after wall: Int64, notAfter limit: Int64) -> Int64? {
        let start = CivilDate.floorDivide(wall, 60) + 1
        var dayNumber = CivilDate.floorDivide(start, 1440)
        let minuteOfDay = Int(start - dayNumber * 1440)
        var hour = minuteOfDay / 60
        var minute = minuteOfDay % 60
        let date = CivilDate(days: dayNumber)
        var year = date.year, month = date.month, day = date.day
        let lastDay = CivilDate.floorDivide(limit, CivilDate.secondsPerDay)

        while dayNumber <= lastDay {
            // Month: jump to the next allowed one (day 1, 00:00).
            if months & (1 << UInt64(month)) == 0 {
                let later = months & ~((2 << UInt64(month)) - 1)
                if later != 0 {
                    month = later.trailingZeroBitCount
                } else {
                    year += 1
                    month = months.trailingZeroBitCount
                }
                day = 1; hour = 0; minute = 0
                dayNumber = CivilDate(year: year, month: month, day: 1).days
                continue
            }
            let length = CivilDate.monthLength(year: year, month: month)
            let firstOfMonth = dayNumber - Int64(day - 1)
            let days = dayMask(length: length, firstWeekday: CivilDate.weekday(days: firstOfMonth))
            while true {
                // Day: the next allowed one in this month, or on to the next month.
                let laterDays = days & ~((1 << UInt64(day)) - 1)
                if laterDays == 0 { break }
                let nextDay = laterDays.trailingZeroBitCount
                if nextDay != day {
                    dayNumber += Int64(nextDay - day)
                    day = nextDay; hour = 0; minute = 0
                }
                if dayNumber > lastDay { return nil }
                // Hour, then minute; running out of either moves to the next hour or day.
                while hour < 24 {
                    let laterHours = hours & ~((1 << UInt64(hour)) - 1)
                    if laterHours == 0 { break }
                    let nextHour = laterHours.trailingZeroBitCount
                    if nextHour != hour { hour = nextHour; minute = 0 }
                    let laterMinutes = minutes & ~((1 << UInt64(minute)) - 1)
                    if laterMinutes != 0 {
                        let wallMinutes = dayNumber * 1440 + Int64(hour * 60 + laterMinutes.trailingZeroBitCount)
                        let result = wallMinutes * 60
                        return result <= limit ? result : nil
                    }
                    hour += 1; minute = 0
                }
                day += 1; dayNumber += 1; hour = 0; minute = 0
                if day > length { break }
            }
            // Next month.
            dayNumber = firstOfMonth + Int64(length)
            if month == 12 { year += 1; month = 1 } else { month += 1 }
            day = 1; hour = 0; minute = 0
        }
        return nil
    }
}
