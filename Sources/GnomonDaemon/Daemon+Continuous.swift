import Foundation
import GnomonCore
import GnomonStore
import Logging

/// Continuous schedules: a job fires `every` after its previous run ended (`from: end`) or
/// started (`from: start`). The daemon tells each job's `ContinuousTimeline` when its runs start
/// and end, and asks it again whenever that changes (see Docs/daemon.md#continuous-schedules).
extension Daemon {
    /// Points the job's continuous timeline at its newest run in the store (of any trigger), so a
    /// restart counts from the run before it; `lastDecided` is its latest decided fire time.
    func followRuns(_ job: ScheduledJob, lastDecided: Date?) {
        guard job.definition.schedule?.continuous != nil else {
            job.continuous = nil
            return
        }
        var previous: PreviousRun?
        do {
            if let newest = try store.lastRuns(jobs: [job.name])[job.name] {
                previous = PreviousRun(id: newest.id, started: newest.startedAt ?? newest.createdAt, ended: newest.finishedAt)
            }
        } catch {
            logger.error("could not read the job's newest run; its continuous schedule counts from now",
                         metadata: ["job": "\(job.name)", "error": "\(error)"])
        }
        job.continuous = ScheduledJob.continuous(job.definition.schedule, since: job.since, previous: previous, lastDecided: lastDecided)
    }

    /// The continuous job's due time has come: fires the time it gives, on time or late (one run
    /// after downtime, never a burst), or nothing when a run started or still runs meanwhile.
    func fireContinuous(_ job: ScheduledJob, now: Date, paused: Bool) {
        guard var timeline = job.continuous else { return }
        let due = timeline.takeDue(now: now, delay: job.delay, running: job.running.last)
        job.continuous = timeline
        switch due {
        case .none:
            break
        case .onTime(let time):
            fire(job, at: time, paused: paused)
        case .late(let time):
            logger.notice("continuous fire time missed; one run fires now", metadata: [
                "job": "\(job.name)", "fire_time": "\(ISOTime.utc(time))",
            ])
            fire(job, at: time, paused: paused, late: true)
        }
    }

    /// A run of the job started or ended: a continuous schedule counts from it.
    func noteRun(_ job: ScheduledJob, started run: Int64? = nil, ended: Int64? = nil) {
        guard job.continuous != nil else { return }
        if let run { job.continuous?.started(run, at: clock.now()) }
        if let ended { job.continuous?.ended(ended, at: clock.now()) }
        if !draining { scheduleNext(job) }
    }
}
