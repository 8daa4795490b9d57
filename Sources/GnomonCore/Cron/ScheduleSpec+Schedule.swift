import Foundation

// TEMPORARY PLACEHOLDER (replaced by the cron engine before anything lands).
extension ScheduleSpec {
    /// Builds the schedule this spec describes, or says what is wrong with it.
    public func makeSchedule() -> Result<any Schedule, ScheduleProblem> {
        .success(NeverSchedule())
    }
}

struct NeverSchedule: Schedule {
    func next(after date: Date) -> Date? { nil }
}
