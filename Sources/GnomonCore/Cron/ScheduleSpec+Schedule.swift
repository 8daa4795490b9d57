import Foundation

extension ScheduleSpec {
    /// Builds the schedule this spec describes, or says what is wrong with it.
    ///
    /// Checks, in order: the expression (five cron fields, a macro or `@every <duration>`), the time
    /// zone (checked for `@every` too, though intervals ignore it) and the jitter, which must be zero
    /// or more and shorter than the shortest time between two fire times, so that jitter never
    /// reorders runs.
    public func makeSchedule() -> Result<any Schedule, ScheduleProblem> {
        parse().map(\.schedule)
    }

    /// ``makeSchedule()``, keeping this spec and its resolved time zone with the schedule: what a
    /// validated job carries.
    public func parse() -> Result<JobSchedule, ScheduleProblem> {
        do {
            let (schedule, zone) = try makeScheduleOrThrow()
            return .success(JobSchedule(spec: self, schedule: schedule, timeZone: zone))
        } catch {
            return .failure(error)
        }
    }

    private func makeScheduleOrThrow() throws(ScheduleProblem) -> (any Schedule, TimeZone) {
        let schedule: any Schedule
        let zone: TimeZone
        let shortestGap: Duration
        if let continuous {
            guard continuous.every >= .seconds(1) else {
                throw ScheduleProblem(.expression, "every \(DurationText.format(continuous.every)) is too short; "
                    + "a continuous schedule waits at least 1s between runs")
            }
            zone = try ScheduleTimeZone.resolve(timeZone).get()
            schedule = ContinuousSchedule(every: continuous.every, from: continuous.from)
            shortestGap = continuous.every
        } else if Self.isInterval(expression) {
            let interval = try IntervalSchedule.parse(expression).get()
            zone = try ScheduleTimeZone.resolve(timeZone).get()
            schedule = interval
            shortestGap = .seconds(interval.seconds)
        } else {
            let cron = try CronExpression.parse(expression).get()
            zone = try ScheduleTimeZone.resolve(timeZone).get()
            schedule = CronSchedule(expression: cron, timeZone: zone)
            shortestGap = .seconds(cron.shortestGapMinutes * 60)
        }
        if let jitter {
            guard jitter >= .zero else {
                throw ScheduleProblem(.jitter, "jitter must be zero or more (got \(jitter))")
            }
            guard jitter < shortestGap else {
                throw ScheduleProblem(.jitter, "jitter \(DurationText.format(jitter)) must be shorter "
                    + "than \(DurationText.format(shortestGap)), the shortest time between two fire "
                    + "times of \"\(expression.trimmingWhitespace())\"")
            }
        }
        return (schedule, zone)
    }

    /// Whether `text` is an `@every` interval rather than a cron expression or macro.
    static func isInterval(_ text: String) -> Bool {
        text.trimmingWhitespace().lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
            .first == "@every"
    }
}
