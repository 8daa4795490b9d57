import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore
import Logging

/// Backfills (`gnomon backfill`): the daemon drives every unfinished backfill that no live
/// process drives, through its own engine, so their runs are the daemon's like any other.
///
/// Who drives a backfill is decided by its ``BackfillLease``: the daemon adopts a backfill only
/// when it can take the lease, at start, on SIGUSR1 (the command hands a backfill over with it)
/// and at every trigger poll, so a backfill whose foreground driver died is adopted within a
/// second; one a live foreground driver holds is left to it. Its runs whose runner died are
/// recovered (at start by ordinary recovery, later here) and continued by the backfill's driver,
/// counting towards its `max_active`.
extension Daemon {
    /// A backfill this daemon drives, and the lease that makes it the only driver.
    struct DrivenBackfill {
        let driver: BackfillDriver
        let lease: BackfillLease
    }

    /// Adopts every unfinished backfill that nobody drives and whose job is loaded.
    func adoptBackfills() {
        guard !draining else { return }
        let unfinished: [(id: Int64, job: String)]
        do {
            unfinished = try store.unfinishedBackfills()
        } catch {
            logger.error("could not read the unfinished backfills", metadata: ["error": "\(error)"])
            return
        }
        for record in unfinished where backfills[record.id] == nil {
            guard let job = jobs[record.job] else {
                if backfillsWaiting.insert(record.id).inserted {
                    logger.warning("backfill waits: its job is not loaded; it starts once the job's file is valid",
                                   metadata: ["backfill": "\(record.id)", "job": "\(record.job)"])
                }
                continue
            }
            let lease: BackfillLease?
            do {
                lease = try BackfillLease.take(home: options.home, backfill: record.id, retries: 2)
            } catch {
                logger.error("could not take a backfill's lease", metadata: ["backfill": "\(record.id)", "error": "\(error)"])
                continue
            }
            guard let lease else { continue }
            backfillsWaiting.remove(record.id)
            adopt(record.id, job: job.definition, lease: lease)
        }
    }

    /// Drives backfill `id`, whose lease this daemon holds: its runs recovered at start go to its
    /// driver, and its runs whose runner died since (a foreground driver that was killed) are
    /// taken over by the driver's task before it drives, so the loop never waits for them.
    private func adopt(_ id: Int64, job: ValidJob, lease: BackfillLease) {
        let current: BackfillRecord
        let runs: [RunSummary]
        do {
            // Read again under the lease: the last driver may have finished it just before releasing it.
            guard let found = try store.backfill(id), found.state == .running else {
                lease.release()
                return
            }
            current = found
            runs = try store.backfillRuns(id)
        } catch {
            logger.error("could not read a backfill", metadata: ["backfill": "\(id)", "error": "\(error)"])
            lease.release()
            return
        }
        var recovered: [Int64: PreparedRun] = [:]
        for run in runs {
            if let prepared = recoveredBackfillRuns.removeValue(forKey: run.id) { recovered[run.id] = prepared }
        }
        let orphans = runs.filter { !$0.status.isFinished && recovered[$0.id] == nil && runnerIsGone($0) }.map(\.id)
        let logger = self.logger
        let driver = BackfillDriver(
            engine: engine, job: job, backfill: current,
            observe: { DaemonObserver(logger: logger, job: $0.job.name, run: $0.id) },
            say: { line in logger.info("backfill \(id) of \(job.name): \(line)") })
        backfills[id] = DrivenBackfill(driver: driver, lease: lease)
        backfillsToStart.append(BackfillStart(
            driver: driver, recovered: recovered, orphans: orphans, seeds: orphans.map { _ in random.next() },
            instance: instance, killGrace: options.killGrace, logger: logger))
        logger.info("backfill adopted", metadata: [
            "backfill": "\(id)", "job": "\(job.name)", "fire_times": "\(current.times.count)",
            "runs": "\(runs.count)", "recovered": "\(recovered.count)", "orphans": "\(orphans.count)",
            "max_active": "\(current.options.maxActive)",
        ])
    }

    /// Backfill runs recovered at start whose backfill this daemon did not adopt (its job is not
    /// loaded, or its backfill is gone) continue as ordinary runs.
    func startUnadoptedBackfillRuns() {
        for (_, prepared) in recoveredBackfillRuns.sorted(by: { $0.key < $1.key }) {
            logger.notice("backfill run continues on its own: its backfill is not driven here", metadata: [
                "job": "\(prepared.job.name)", "run": "\(prepared.id)",
            ])
            start(prepared, job: prepared.job.name)
        }
        recoveredBackfillRuns = [:]
    }

    /// A backfill's driver returned: records and logs how the backfill ended, or, when it was
    /// drained by the shutdown, leaves it unfinished for the next start.
    func backfillEnded(_ id: Int64) {
        guard let driven = backfills.removeValue(forKey: id) else { return }
        let metadata: Logger.Metadata = ["backfill": "\(id)", "job": "\(driven.driver.job.name)"]
        do {
            guard let outcome = try driven.driver.finish() else {
                logger.info("backfill suspended; it continues when it is adopted again (the next start after a shutdown)", metadata: metadata)
                driven.lease.release()
                return
            }
            if outcome.state == .succeeded {
                logger.info("\(outcome.line)", metadata: metadata)
            } else {
                logger.warning("\(outcome.line)", metadata: metadata)
            }
            driven.lease.release(finished: true)
        } catch {
            logger.error("could not record how a backfill ended; it is looked at again at the next poll",
                         metadata: metadata.merging(["error": "\(error)"]) { $1 })
            driven.lease.release()
        }
    }
}

/// An adopted backfill's work in the daemon's task group: takes over its runs whose runner died
/// since the daemon started (their groups terminated, their attempts recorded lost), then drives
/// every fire time left.
struct BackfillStart: Sendable {
    let driver: BackfillDriver
    /// Its runs recovered at the daemon's start.
    let recovered: [Int64: PreparedRun]
    /// Its unfinished runs whose runner is gone, to take over first.
    let orphans: [Int64]
    /// One retry-jitter seed per orphan, drawn from the daemon's random source.
    let seeds: [UInt64]
    let instance: String
    let killGrace: Duration
    let logger: Logger

    func run() async {
        let store = driver.store, job = driver.job.name, id = driver.backfill.id
        var recovered = self.recovered
        let details = orphans.compactMap { try? store.run($0) }.filter { !$0.summary.status.isFinished }
        var seeds = self.seeds.makeIterator()
        for (detail, result) in await driver.engine.takeOver(details, grace: killGrace, seed: { seeds.next() ?? 0 }) {
            switch result {
            case .success(.resume(let prepared, let lost)):
                for attempt in lost {
                    logger.warning("attempt lost: its runner died", metadata: [
                        "job": "\(job)", "run": "\(detail.id)", "task": "\(attempt.task)", "attempt": "\(attempt.number)",
                    ])
                }
                logger.notice("backfill run recovered; it continues", metadata: ["job": "\(job)", "run": "\(detail.id)", "backfill": "\(id)"])
                recovered[detail.id] = prepared
            case .success(.finished(let status, _)):
                logger.notice("backfill run recovered as \(status.rawValue): its cancellation was asked for",
                              metadata: ["job": "\(job)", "run": "\(detail.id)", "backfill": "\(id)"])
            case .failure(let error):
                logger.error("could not recover run", metadata: ["job": "\(job)", "run": "\(detail.id)", "error": "\(error)"])
            }
        }
        let runs: [RunSummary]
        do {
            runs = try store.backfillRuns(id)
        } catch {
            logger.error("could not read the runs of a backfill; it is taken up again at the next poll",
                         metadata: ["backfill": "\(id)", "error": "\(error)"])
            driver.drain(grace: .zero)
            return
        }
        let instance = self.instance
        let work = driver.work(runs: runs, recovered: recovered, runnerIsLive: { !Daemon.runnerIsGone($0, instance: instance) })
        await driver.drive(work, maxActive: driver.backfill.options.maxActive)
    }
}
