import Foundation
import GnomonCore
import GnomonStore

/// What the listings (`gnomon jobs`, `gnomon next`, the API, `/metrics`) say about a continuous
/// schedule's next fire time, from the job's newest run in the store: the daemon's own rule
/// (`ContinuousSchedule.nextFireTime`), seen from outside its loop.
struct ContinuousOutlook: Sendable, Hashable {
    /// The next fire time, when it is known: never before `now` (a time already due fires at once).
    var time: Date?
    /// Said instead of a time: `after run 12 ends`.
    var note: String?

    init(_ schedule: ContinuousSchedule, newest: RunSummary?, now: Date) {
        let running = newest.flatMap { [.queued, .running].contains($0.status) ? $0.id : nil }
        let previous = newest.map { PreviousRun(id: $0.id, started: $0.startedAt ?? $0.createdAt, ended: $0.finishedAt) }
        switch schedule.nextFireTime(previous: previous, running: running, lastDecided: nil, since: now) {
        case .at(let time):
            self.time = max(time, now)
        case .afterRunEnds(let run):
            note = "after run \(run) ends"
        }
    }

    /// The time in `zone`, or the note.
    func text(zone: TimeZone) -> String {
        time.map { ISOTime.format($0, zone: zone) } ?? note ?? "-"
    }
}
