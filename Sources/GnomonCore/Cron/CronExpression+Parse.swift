extension CronExpression {
    /// The macros an expression may be instead of five fields, and what each stands for.
    public static let macros: [(name: String, fields: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
        ("@hourly", "0 * * * *"),
    ]

    /// Parses five cron fields (`"*/15 9-17 * * mon-fri"`) or a macro (`"@daily"`).
    ///
    /// The problem's message names the field, the value and the bound, e.g.
    /// `minute 61 is above the maximum 59 in "61 * * * *"`. An expression that can never fire
    /// (`0 0 30 2 *`) is a problem too.
    public static func parse(_ text: String) -> Result<CronExpression, ScheduleProblem> {
        do {
            return .success(try parseOrThrow(text))
        } catch {
            return .failure(error)
        }
    }

    private static func parseOrThrow(_ text: String) throws(ScheduleProblem) -> CronExpression {
        let trimmed = text.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw ScheduleProblem(.expression, "the schedule expression is empty; write five fields "
                + "such as \"*/15 * * * *\" or a macro such as @daily")
        }
        let fieldText: String
        if trimmed.hasPrefix("@") {
            fieldText = try macroFields(trimmed)
        } else {
            fieldText = trimmed
        }
        let fields = fieldText.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard fields.count == 5 else {
            let hint = fields.count > 5 ? "; there is no seconds or year field" : ""
            throw ScheduleProblem(.expression, "expected 5 fields (minute hour day-of-month month "
                + "day-of-week) but found \(fields.count) in \"\(trimmed)\"\(hint)")
        }
        var values: [CronFieldValue] = []
        for (field, text) in zip(CronField.all, fields) {
            values.append(try field.parse(text, in: trimmed))
        }
        let dayOfMonth = values[2], dayOfWeek = values[4]
        let expression = CronExpression(
            text: trimmed, followsRealTime: values[1].hasWildcardOrStep,
            minutes: values[0].mask, hours: values[1].mask,
            daysOfMonth: dayOfMonth.mask, lastDayOfMonth: dayOfMonth.lastDay, months: values[3].mask,
            weekdays: dayOfWeek.mask, lastWeekdays: dayOfWeek.lastWeekdays,
            nthWeekdays: dayOfWeek.nthWeekdays,
            dayOfMonthIsWildcard: dayOfMonth.isWildcard, dayOfWeekIsWildcard: dayOfWeek.isWildcard)
        try expression.checkCanFire(dayOfMonthText: fields[2])
        return expression
    }

    private static func macroFields(_ text: String) throws(ScheduleProblem) -> String {
        let lower = text.lowercased()
        if let macro = macros.first(where: { $0.name == lower }) { return macro.fields }
        let word = String(lower.prefix { !$0.isWhitespace })
        if word == "@every" {
            throw ScheduleProblem(.expression, "\"\(text)\" is an interval, not a cron expression")
        }
        if macros.contains(where: { $0.name == word }) {
            throw ScheduleProblem(.expression, "\(word) takes nothing after it in \"\(text)\"")
        }
        if word == "@reboot" {
            throw ScheduleProblem(.expression, "@reboot is not supported; Gnomon schedules fire at "
                + "times of day or at fixed intervals")
        }
        let names = macros.map(\.name) + ["@every"]
        let hint = Suggest.closest(to: word, among: names).map { "did you mean \"\($0)\"?" }
            ?? "use one of \(names.joined(separator: ", "))"
        throw ScheduleProblem(.expression, "unknown macro \"\(word)\" in \"\(text)\"; \(hint)")
    }

    /// Throws when no month the expression allows has a day it allows (`0 0 30 2 *`).
    ///
    /// Only the day-of-month field can cause this: a restricted day-of-week field always matches
    /// some day (every weekday occurs five times in some February of the 400-year cycle), and when
    /// both day fields are restricted a day matching either one fires.
    private func checkCanFire(dayOfMonthText: Substring) throws(ScheduleProblem) {
        guard dayOfWeekIsWildcard, !lastDayOfMonth else { return }
        var allowedMonths: [Int] = []
        for month in 1...12 where months & (1 << UInt64(month)) != 0 {
            // 2000 is a leap year: the longest each month can be.
            let longest = CivilDate.monthLength(year: 2000, month: month)
            let monthDays: UInt64 = ((1 << UInt64(longest + 1)) - 1) & ~1
            if daysOfMonth & monthDays != 0 { return }
            allowedMonths.append(month)
        }
        let names = allowedMonths.map { Self.monthNames[$0 - 1] }
        let list = names.count == 1 ? names[0]
            : names.dropLast().joined(separator: ", ") + " or " + names.last!
        throw ScheduleProblem(.expression, "\"\(text)\" never fires: day-of-month \(dayOfMonthText) "
            + "never occurs in \(list)")
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
}
