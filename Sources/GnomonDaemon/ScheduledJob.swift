import Foundation
import GnomonCore
import GnomonEngine
import GnomonJobFiles

/// One job as the daemon holds it: its last valid definition, where its schedule stands, and the
/// runs it has going or waiting. Owned by the daemon loop only.
final class ScheduledJob {
    let name: String
    var path: String
    /// The last valid definition; kept while the file is invalid.
    var spec: JobSpec
    /// `nil` for a job without a schedule.
    var timeline: JobTimeline?
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

    init(name: String, path: String, spec: JobSpec, since: Date, considered: Date) {
        self.name = name
        self.path = path
        self.spec = spec
        self.since = since
        self.scheduleKey = Self.key(spec.schedule)
        self.timeline = Self.timeline(spec.schedule, considered: considered)
    }

    /// The identity of a schedule: its expression and time zone (jitter does not move fire times).
    static func key(_ schedule: ScheduleSpec?) -> String? {
        schedule.map { "\($0.expression) \($0.timeZone)" }
    }

    static func timeline(_ schedule: ScheduleSpec?, considered: Date) -> JobTimeline? {
        guard let schedule, case .success(let built) = schedule.makeSchedule() else { return nil }
        return JobTimeline(schedule: built, considered: considered)
    }
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
