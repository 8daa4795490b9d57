import Foundation
import GnomonCore
import GnomonEngine
import GnomonJobFiles

/// One job as the daemon holds it: its last valid definition, where its schedule stands, and the
/// runs it has going or waiting. Owned by the daemon loop only.
final class ScheduledJob {
    let name: String
    var path: String
    /// The last valid definition, with its graph and parsed schedule; kept while the file is
    /// invalid.
    var definition: ValidJob
    /// `nil` for a job without a schedule or with a continuous one.
    var timeline: JobTimeline?
    /// Set for a continuous schedule: the runs it counts from and the fire times decided.
    var continuous: ContinuousTimeline?
    /// The schedule's identity: a change of it starts the schedule afresh.
    var scheduleKey: String?
    /// Since when this schedule has been watched (persisted).
    var since: Date
    /// Bumped whenever a new due entry is pushed; older entries are stale.
    var generation = 0
    /// The jitter delay drawn for the next fire time.
    var delay: TimeInterval = 0
    /// Runs executing, oldest first.
    var running: [Int64] = []
    /// Runs created and waiting for the running ones to end (overlap queue, catch-up backlog).
    var pending: [PendingRun] = []
    /// The file's problems while it is invalid.
    var problems: [Diagnostic] = []

    init(name: String, path: String, definition: ValidJob, since: Date, considered: Date) {
        self.name = name
        self.path = path
        self.definition = definition
        self.since = since
        self.scheduleKey = Self.key(definition.spec.schedule)
        self.timeline = Self.timeline(definition.schedule, considered: considered)
        self.continuous = Self.continuous(definition.schedule, since: since, previous: nil, lastDecided: nil)
    }

    /// The definition as written.
    var spec: JobSpec { definition.spec }

    /// The identity of a schedule: its expression and time zone (jitter does not move fire times).
    static func key(_ schedule: ScheduleSpec?) -> String? {
        schedule.map { "\($0.expression) \($0.timeZone)" }
    }

    /// Where a parsed schedule stands, its fire times counted after `considered`.
    static func timeline(_ schedule: JobSchedule?, considered: Date) -> JobTimeline? {
        guard let schedule, schedule.continuous == nil else { return nil }
        return JobTimeline(schedule: schedule, considered: considered)
    }

    /// Where a continuous schedule stands, if `schedule` is one.
    static func continuous(_ schedule: JobSchedule?, since: Date, previous: PreviousRun?, lastDecided: Date?) -> ContinuousTimeline? {
        schedule?.continuous.map { ContinuousTimeline(schedule: $0, since: since, previous: previous, lastDecided: lastDecided) }
    }

    /// Whether the job has a schedule of either kind.
    var isScheduled: Bool { timeline != nil || continuous != nil }
}

/// A run created for a fire time and waiting its turn.
struct PendingRun {
    var prepared: PreparedRun
    var fireTime: Date
    var trigger: RunTrigger
}

/// A run the daemon is executing.
struct ActiveRun {
    var job: String
    var control: RunControl
}
