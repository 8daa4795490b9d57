import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore
import Logging

/// Crash recovery at start: every run left unfinished by a runner that died is taken over.
///
/// A run's runner is dead when it was a daemon (this one holds the lock, so any other daemon is
/// gone), or when its process no longer exists (or is a zombie). A live foreground `gnomon run`
/// is never touched.
extension Daemon {
    func recover() async {
        let unfinished: [RunDetail]
        do {
            unfinished = try store.unfinishedRuns()
        } catch {
            logger.error("could not read unfinished runs; none recovered", metadata: ["error": "\(error)"])
            return
        }
        let orphans = unfinished.filter { runnerIsGone($0.summary) }
        let live = unfinished.count - orphans.count
        if live > 0 { logger.info("unfinished runs with a live runner left alone", metadata: ["count": "\(live)"]) }
        guard !orphans.isEmpty else { return }
        logger.notice("recovering runs whose runner died", metadata: ["count": "\(orphans.count)"])
        for (detail, result) in await engine.takeOver(orphans, grace: options.killGrace, seed: { random.next() }) {
            let job = detail.summary.job
            do {
                switch try result.get() {
                case let .resume(prepared, lost) where detail.summary.trigger == .backfill:
                    logLost(lost, job: job, run: detail.id)
                    logger.notice("backfill run recovered; its backfill's driver continues it", metadata: ["job": "\(job)", "run": "\(detail.id)"])
                    recoveredBackfillRuns[detail.id] = prepared
                case let .resume(prepared, lost):
                    logLost(lost, job: job, run: detail.id)
                    logger.notice("run recovered; it continues", metadata: ["job": "\(job)", "run": "\(detail.id)"])
                    switch detail.summary.trigger {
                    case .schedule: tick(job, detail.summary.scheduledAt, .started, run: detail.id, detail: "recovered after its runner died")
                    case .catchup: tick(job, detail.summary.scheduledAt, .caughtUp, run: detail.id, detail: "recovered after its runner died")
                    case .manual, .backfill: break
                    }
                    start(prepared, job: job)
                case let .finished(status, lost):
                    logLost(lost, job: job, run: detail.id)
                    logger.notice("run recovered as \(status.rawValue): its cancellation was asked for",
                                  metadata: ["job": "\(job)", "run": "\(detail.id)"])
                }
            } catch {
                logger.error("could not recover run", metadata: ["job": "\(job)", "run": "\(detail.id)", "error": "\(error)"])
            }
        }
    }

    func logLost(_ attempts: [AttemptRecord], job: String, run: Int64) {
        for attempt in attempts {
            logger.warning("attempt lost: its runner died", metadata: [
                "job": "\(job)", "run": "\(run)", "task": "\(attempt.task)", "attempt": "\(attempt.number)",
            ])
        }
    }

    /// Whether the process that ran `run` is gone.
    func runnerIsGone(_ run: RunSummary) -> Bool {
        Self.runnerIsGone(run, instance: instance)
    }

    /// Whether the process that ran `run` is gone, seen from the daemon `instance` (which holds
    /// the lock, so any other daemon is gone).
    static func runnerIsGone(_ run: RunSummary, instance: String) -> Bool {
        if run.runnerInstance == instance { return false }
        if run.runnerInstance.hasPrefix(Self.instancePrefix) { return true }
        let pid = run.runnerPID
        if pid <= 1 || pid == getpid() { return true }
        return !Self.processIsLive(pid)
    }

    /// Whether process `pid` exists and is not a zombie.
    public static func processIsLive(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].split(separator: " ").first
        return state != "Z" && state != "X"
    }
}
