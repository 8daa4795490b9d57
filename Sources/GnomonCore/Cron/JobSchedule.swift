import Foundation

/// A job's schedule, parsed: the spec as written with the `Schedule` it describes and its time
/// zone, resolved.
///
/// Only ``ScheduleSpec/parse()`` makes one, so holding one means the expression, the time zone and
/// the jitter were checked. Two are equal when their specs are.
public struct JobSchedule: Schedule, Hashable {
    /// The schedule as written.
    public let spec: ScheduleSpec
    /// The cron schedule or `@every` interval the spec describes.
    public let schedule: any Schedule
    /// The spec's time zone, resolved; fire times are shown in it.
    public let timeZone: TimeZone

    init(spec: ScheduleSpec, schedule: any Schedule, timeZone: TimeZone) {
        self.spec = spec
        self.schedule = schedule
        self.timeZone = timeZone
    }

    /// The delay bound drawn from before each fire, if any.
    public var jitter: Duration? { spec.jitter }

    public func next(after date: Date) -> Date? { schedule.next(after: date) }

    public static func == (lhs: JobSchedule, rhs: JobSchedule) -> Bool { lhs.spec == rhs.spec }

    public func hash(into hasher: inout Hasher) { hasher.combine(spec) }
}
