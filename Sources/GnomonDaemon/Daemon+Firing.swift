import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore
import Logging

/// Firing: what happens when a job's next time comes, on time or late.
extension Daemon {
    /// Jobs fired per loop turn. The runs of a turn start only when it ends, so with a thousand
    /// jobs due at once the first runs start after a few dozen are created, not after all.
    static let firesPerTurn = 32

    /// Fires the jobs whose due time has come, up to `firesPerTurn` of them.
    func fireDue(now: Date) {
        let entries = due.popDue(now: now, limit: Self.firesPerTurn)
        guard !entries.isEmpty else { return }
        let overrides: [String: Bool]
        do {
            overrides = try store.pausedOverrides()
        } catch {
            logger.error("could not read the pause state; using the job files' paused", metadata: ["error": "\(error)"])
            overrides = [:]
        }
        for entry in entries {
            guard let job = jobs[entry.job], job.generation == entry.generation else { continue }
            let paused = overrides[job.name] ?? job.spec.paused
            if job.continuous != nil {
                fireContinuous(job, now: now, paused: paused)
                scheduleNext(job)
                continue
            }
            guard var timeline = job.timeline else { continue }
            let result = timeline.takeDue(now: now, delay: job.delay, policy: job.spec.catchup, paused: paused)
            job.timeline = timeline
            switch result {
            case .none:
                break
            case .onTime(let time):
                fire(job, at: time, paused: paused)
            case .missed(let plan):
                catchUp(job, plan)
            }
            scheduleNext(job)
        }
    }

    /// Pushes the job's next due entry, drawing a new jitter delay.
    func scheduleNext(_ job: ScheduledJob) {
        job.generation += 1
        let next: Date
        if let continuous = job.continuous {
            // A continuous job with a run going (`from: end`) waits for its end, not for a time.
            guard case .at(let time) = continuous.next(running: job.running.last) else { return }
            next = time
        } else {
            guard let time = job.timeline?.nextFireTime else { return }
            next = time
        }
        let jitter = job.spec.schedule?.jitter.map(\.secondsDouble) ?? 0
        // 53 random bits make a uniform fraction in 0..<1, as `Double.random(in:)` does.
        job.delay = jitter > 0 ? jitter * Double(random.next() >> 11) / Double(UInt64(1) << 53) : 0
        due.push(.init(at: next.addingTimeInterval(job.delay), job: job.name, generation: job.generation))
    }

    /// One fire time reached on time (or, `late`, a continuous schedule's time reached after
    /// downtime): paused, or the overlap policy decides.
    func fire(_ job: ScheduledJob, at time: Date, paused: Bool, late: Bool = false) {
        if paused {
            tick(job.name, time, .paused, detail: "job is paused; gnomon resume \(job.name) to fire it again")
            return
        }
        let trigger: RunTrigger = late ? .catchup : .schedule
        switch OverlapRule.decide(policy: job.spec.overlap, running: job.running, pending: job.pending.count) {
        case .start:
            guard let run = createRun(job, trigger: trigger, at: time) else { return }
            if late {
                tick(job.name, time, .caughtUp, run: run.id,
                     detail: "not fired at its time: the daemon was not running or the machine was suspended; "
                        + "one run now (continuous schedule)")
            } else {
                tick(job.name, time, .started, run: run.id)
            }
            start(run, job: job.name)
        case .skip(let reason):
            tick(job.name, time, .skippedOverlap, detail: "overlap \(job.spec.overlap.rawValue): \(reason)")
        case .enqueue:
            guard let run = createRun(job, trigger: trigger, at: time) else { return }
            tick(job.name, time, .queued, run: run.id,
                 detail: "overlap queue: starts when run \(job.running.map(String.init).joined(separator: ", ")) ends")
            job.pending.append(PendingRun(prepared: run, fireTime: time, trigger: .schedule))
        case .replace(let cancel):
            let reason = "replaced by the run for \(ISOTime.utc(time)) (overlap replace)"
            dropPending(job, reason: reason)
            for id in cancel { active[id]?.control.cancel(reason: reason) }
            guard let run = createRun(job, trigger: trigger, at: time) else { return }
            tick(job.name, time, .replaced, run: run.id,
                 detail: "cancelled run \(cancel.map(String.init).joined(separator: ", "))")
            start(run, job: job.name)
        }
    }

    /// Times missed while the daemon was down or the machine suspended: the catch-up policy's plan.
    ///
    /// Caught-up runs wait for the job's running runs and start one after another (side by side
    /// with overlap `allow`; `replace` cancels what runs first).
    func catchUp(_ job: ScheduledJob, _ plan: CatchupPlan) {
        logger.notice("fire times missed", metadata: [
            "job": "\(job.name)", "count": "\(plan.total)", "catchup": "\(job.spec.catchup.rawValue)",
        ])
        let why = "not fired at its time: the daemon was not running or the machine was suspended"
        if let unlisted = plan.unlisted {
            let count = unlisted.exact ? "\(unlisted.count)" : "about \(unlisted.count)"
            tick(job.name, unlisted.first, decision(unlisted.decision),
                 detail: "\(count) fire times from \(ISOTime.utc(unlisted.first)) to \(ISOTime.utc(unlisted.last)) "
                    + "(\(unlisted.decision.rawValue)) are summed up here, not recorded one by one")
        }
        if let warning = plan.warning { logger.warning("\(warning)", metadata: ["job": "\(job.name)"]) }
        let newestDropped = plan.times.last { $0.decision == .dropped }?.fireTime
        var caughtUp: [PendingRun] = []
        for missed in plan.times {
            switch missed.decision {
            case .missed:
                tick(job.name, missed.fireTime, .missed, detail: "\(why) (catchup \(job.spec.catchup.rawValue))")
            case .paused:
                tick(job.name, missed.fireTime, .paused, detail: "\(why); the job is paused")
            case .dropped:
                let warning = missed.fireTime == newestDropped ? plan.warning.map { "; \($0)" } ?? "" : ""
                tick(job.name, missed.fireTime, .dropped, detail: "\(why); beyond the catch-up cap\(warning)")
            case .caughtUp:
                guard let run = createRun(job, trigger: .catchup, at: missed.fireTime) else { continue }
                tick(job.name, missed.fireTime, .caughtUp, run: run.id, detail: "\(why); run late (catchup \(job.spec.catchup.rawValue))")
                caughtUp.append(PendingRun(prepared: run, fireTime: missed.fireTime, trigger: .catchup))
            }
        }
        guard !caughtUp.isEmpty else { return }
        if job.spec.overlap == .replace {
            let reason = "replaced by a catch-up run (overlap replace)"
            dropPending(job, reason: reason)
            for id in job.running { active[id]?.control.cancel(reason: reason) }
        }
        job.pending += caughtUp
        startPending(job)
    }

    /// Starts waiting runs whose turn has come: all of them with overlap `allow`, else the
    /// oldest once nothing of the job runs.
    func startPending(_ job: ScheduledJob) {
        while !job.pending.isEmpty, job.running.isEmpty || job.spec.overlap == .allow {
            let next = job.pending.removeFirst()
            if next.trigger == .schedule {
                tick(job.name, next.fireTime, .started, run: next.prepared.id, detail: "was queued behind an earlier run")
            }
            start(next.prepared, job: job.name)
        }
    }

    /// Records the job's waiting runs as cancelled and forgets them.
    func dropPending(_ job: ScheduledJob, reason: String) {
        for pending in job.pending {
            do {
                try engine.cancelUnstarted(pending.prepared, reason: reason)
                logger.info("waiting run cancelled", metadata: [
                    "job": "\(job.name)", "run": "\(pending.prepared.id)", "reason": "\(reason)",
                ])
            } catch {
                logger.error("could not cancel a waiting run", metadata: [
                    "job": "\(job.name)", "run": "\(pending.prepared.id)", "error": "\(error)",
                ])
            }
        }
        job.pending = []
    }

    /// Creates the run for one fire time; a time that has its run already, or a failure, is
    /// recorded as a tick instead and gives nil.
    func createRun(_ job: ScheduledJob, trigger: RunTrigger, at time: Date) -> PreparedRun? {
        do {
            return try engine.prepareDaemonRun(job: job.definition, trigger: trigger, scheduledAt: time, seed: random.next())
        } catch StoreError.duplicateRun(_, _, let existing) {
            tick(job.name, time, .duplicate, run: existing, detail: "run \(existing) exists for this time already")
        } catch {
            tick(job.name, time, .error, detail: "could not create the run: \(error)")
        }
        return nil
    }

    private func decision(_ missed: MissedDecision) -> TickDecision {
        switch missed {
        case .missed: return .missed
        case .caughtUp: return .caughtUp
        case .dropped: return .dropped
        case .paused: return .paused
        }
    }
}
