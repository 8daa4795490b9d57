import Foundation
import GnomonCore
import GnomonJobFiles
import GnomonStore
import Logging

/// The jobs: loaded at start (with where each schedule stands), reloaded as files change.
///
/// An invalid file is logged with its file:line problems and the job keeps its last valid
/// definition (from memory, or from the database at start); other jobs are untouched. A job seen
/// for the first time, or whose schedule changed, starts from now: nothing before it fires.
extension Daemon {
    /// Loads every job file and decides, for each job, from when its fire times count.
    ///
    /// A known job with the same schedule resumes after its latest decided time: the latest tick,
    /// the latest scheduled run, or when the schedule was first seen, whichever is latest; the
    /// first loop turn then applies the catch-up policy to what was missed.
    func loadJobsAtStart(now: Date) {
        var remembered: [String: GnomonStore.DaemonJob] = [:]
        var lastTicks: [String: Date] = [:]
        var lastRuns: [String: Date] = [:]
        do {
            remembered = try store.daemonJobs()
            lastTicks = try store.lastFireTimes()
            lastRuns = try store.lastScheduledRunTimes()
        } catch {
            logger.error("could not read where schedules stand; every job starts from now", metadata: ["error": "\(error)"])
        }
        var seen: Set<String> = []
        for change in watcher.poll(everything: true) {
            seen.insert(change.name)
            noteValidity(of: change, now: now)
            switch change {
            case let .loaded(name, path, definition):
                register(name: name, path: path, definition: definition, remembered: remembered[name],
                         decided: [lastTicks[name], lastRuns[name]].compactMap { $0 }.max(), now: now)
            case let .invalid(name, path, problems):
                report(problems, job: name)
                if let known = remembered[name], let definition = revalidate(known.definition) {
                    let job = register(name: name, path: path, definition: definition, remembered: known,
                                       decided: [lastTicks[name], lastRuns[name]].compactMap { $0 }.max(), now: now)
                    job.problems = problems
                    logger.warning("job file is invalid; the job keeps its last valid definition", metadata: ["job": "\(name)"])
                } else {
                    invalidOnly[name] = problems
                }
            case .removed:
                break
            }
        }
        if let problem = watcher.folderProblem { logger.error("\(problem)") }
        for name in remembered.keys where !seen.contains(name) {
            forget(name)
        }
        // Runs recovered before the jobs were loaded count as their jobs' running runs.
        for (run, active) in active.sorted(by: { $0.key < $1.key }) {
            guard let job = jobs[active.job], !job.running.contains(run) else { continue }
            job.running.append(run)
            noteRun(job, started: run)
        }
        logger.info("jobs loaded", metadata: [
            "jobs": "\(jobs.count)", "invalid": "\(jobs.values.filter { !$0.problems.isEmpty }.count + invalidOnly.count)",
            "scheduled": "\(jobs.values.filter(\.isScheduled).count)",
        ])
    }

    /// The definition remembered from an earlier start, checked again; `nil` (logged) if it no
    /// longer holds (say the time-zone database dropped its zone), so the job waits for its file
    /// to be fixed.
    private func revalidate(_ spec: JobSpec) -> ValidJob? {
        do {
            return try ValidJob(spec)
        } catch {
            logger.error("the job's last valid definition is no longer valid: \(error); fix its file",
                         metadata: ["job": "\(spec.name)"])
            return nil
        }
    }

    @discardableResult
    private func register(
        name: String, path: String, definition: ValidJob, remembered: GnomonStore.DaemonJob?, decided: Date?, now: Date
    ) -> ScheduledJob {
        let spec = definition.spec
        let key = ScheduledJob.key(spec.schedule)
        let since: Date
        let considered: Date
        if let remembered, remembered.schedule == key {
            since = remembered.since
            considered = max(since, decided ?? since)
        } else {
            if remembered != nil { logger.info("schedule changed while the daemon was stopped; it starts from now", metadata: ["job": "\(name)"]) }
            since = now
            considered = now
        }
        let job = ScheduledJob(name: name, path: path, definition: definition, since: since, considered: considered)
        jobs[name] = job
        followRuns(job, lastDecided: remembered?.schedule == key ? decided : nil)
        if remembered?.definition != spec || remembered?.schedule != key || remembered?.since != since {
            remember(job, now: now)
        }
        scheduleNext(job)
        return job
    }

    /// Applies what changed in the jobs folder since the last look.
    func reload(everything: Bool, now: Date) {
        let changes = watcher.poll(everything: everything)
        if everything, let problem = watcher.folderProblem { logger.error("\(problem)") }
        for change in changes {
            noteValidity(of: change, now: now)
            switch change {
            case let .loaded(name, path, definition): loaded(name: name, path: path, definition: definition, now: now)
            case let .invalid(name, _, problems): invalid(name: name, problems: problems)
            case .removed(let name): removed(name)
            }
        }
    }

    private func loaded(name: String, path: String, definition: ValidJob, now: Date) {
        invalidOnly[name] = nil
        let spec = definition.spec
        guard let job = jobs[name] else {
            let job = ScheduledJob(name: name, path: path, definition: definition, since: now, considered: now)
            jobs[name] = job
            followRuns(job, lastDecided: nil)
            remember(job, now: now)
            scheduleNext(job)
            logger.info("job added", metadata: ["job": "\(name)", "schedule": "\(job.scheduleKey ?? "none")"])
            return
        }
        let wasInvalid = !job.problems.isEmpty
        job.problems = []
        job.path = path
        if spec == job.spec {
            if wasInvalid { logger.info("job file fixed", metadata: ["job": "\(name)"]) }
            return
        }
        let key = ScheduledJob.key(spec.schedule)
        if key != job.scheduleKey {
            // A new schedule starts from now: the change itself never fires a run.
            job.scheduleKey = key
            job.since = now
            job.timeline = ScheduledJob.timeline(definition.schedule, considered: now)
            job.definition = definition
            followRuns(job, lastDecided: nil)
            logger.info("schedule changed; it starts from now", metadata: ["job": "\(name)", "schedule": "\(key ?? "none")"])
        } else if spec.schedule != job.spec.schedule, let old = job.timeline {
            job.timeline = ScheduledJob.timeline(definition.schedule, considered: old.considered)
        }
        job.definition = definition
        remember(job, now: now)
        scheduleNext(job)
        logger.info(wasInvalid ? "job file fixed and reloaded" : "job reloaded", metadata: ["job": "\(name)"])
    }

    private func invalid(name: String, problems: [Diagnostic]) {
        report(problems, job: name)
        if let job = jobs[name] {
            job.problems = problems
            logger.warning("job file is invalid; the job keeps its last valid definition until it is fixed",
                           metadata: ["job": "\(name)"])
        } else {
            invalidOnly[name] = problems
        }
    }

    private func removed(_ name: String) {
        invalidOnly[name] = nil
        guard let job = jobs.removeValue(forKey: name) else { return }
        dropPending(job, reason: "job file removed")
        forget(name)
        logger.info("job file removed; its running runs finish", metadata: [
            "job": "\(name)", "running": "\(job.running.count)",
        ])
    }

    /// Records whether the changed file is valid; the store tells it as an event when that changed
    /// (`job_invalid` with the first problem, `job_valid` once fixed).
    private func noteValidity(of change: JobWatcher.Change, now: Date) {
        let problem: String?
        switch change {
        case .loaded: problem = nil
        case let .invalid(_, _, problems): problem = problems.first.map { "\($0)" } ?? "the file is invalid"
        case .removed: return
        }
        do {
            try store.recordJobFile(job: change.name, problem: problem, at: now)
        } catch {
            logger.error("could not record whether the job file is valid", metadata: ["job": "\(change.name)", "error": "\(error)"])
        }
    }

    /// Logs each problem of an invalid file as `path:line:column: key: message`.
    private func report(_ problems: [Diagnostic], job: String) {
        for problem in problems {
            logger.error("invalid job file: \(problem)", metadata: ["job": "\(job)"])
        }
    }

    private func remember(_ job: ScheduledJob, now: Date) {
        do {
            try store.saveDaemonJob(
                .init(job: job.name, definition: job.spec, schedule: job.scheduleKey, since: job.since), at: now)
        } catch {
            logger.error("could not record the job's definition", metadata: ["job": "\(job.name)", "error": "\(error)"])
        }
    }

    private func forget(_ name: String) {
        do {
            try store.forgetDaemonJob(name)
        } catch {
            logger.error("could not forget a removed job", metadata: ["job": "\(name)", "error": "\(error)"])
        }
    }
}
