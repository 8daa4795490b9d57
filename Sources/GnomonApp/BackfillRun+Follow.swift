import Foundation
import GnomonCore
import GnomonDaemon
import GnomonEngine
import GnomonStore
import Synchronization

/// A backfill another process drives (the daemon, or a live foreground `gnomon backfill`),
/// followed through the store: the same lines a foreground driver prints, and its exit status.
extension BackfillRun {
    /// How often a follower reads the backfill's runs (a read of one indexed table, a few dozen rows).
    static let followInterval: Duration = .milliseconds(100)

    /// Leaves `backfill` to the daemon `pid` (nudged already) and follows it, or, without `follow`,
    /// returns at once.
    static func handOver(
        _ backfill: BackfillRecord, to pid: Int32, job: ValidJob, store: GnomonStore, settings: GlobalSettings,
        follow: Bool, say: @escaping @Sendable (String) -> Void
    ) async throws(AppError) -> CommandExit {
        guard follow else {
            say("backfill \(backfill.id) handed to the daemon (pid \(pid)); the same command follows it, "
                + "`gnomon runs --trigger backfill` lists its runs")
            return .success
        }
        say("the daemon (pid \(pid)) drives backfill \(backfill.id); following it (Ctrl-C stops only the following)")
        return try await self.follow(backfill, job: job, store: store, settings: settings, say: say)
    }

    /// Prints each of the backfill's runs as it starts and ends until the backfill is over;
    /// returns 0 when every fire time's run succeeded, 1 when one did not, 5 when Ctrl-C stopped
    /// the following or nobody drives the backfill any more, 6 when no process took it up within
    /// `TriggerRun.answerTimeout`.
    static func follow(
        _ backfill: BackfillRecord, job: ValidJob, store: GnomonStore, settings: GlobalSettings,
        say: @escaping @Sendable (String) -> Void
    ) async throws(AppError) -> CommandExit {
        let zone = job.schedule?.timeZone ?? TimeZone(identifier: "UTC")!
        let interrupted = Atomic<Bool>(false)
        let signals = SignalSource(signals: [SIGINT, SIGTERM]) { _ in interrupted.store(true, ordering: .relaxed) }
        defer { signals.stop() }
        var started: Set<Int64> = [], ended: Set<Int64> = []
        var driven = false
        var deadline = ContinuousClock.now + TriggerRun.answerTimeout
        while true {
            if interrupted.load(ordering: .relaxed) {
                say("stopped following backfill \(backfill.id); its driver goes on with it, and the same command follows it again")
                return .cancelled
            }
            let heldBefore = BackfillLease.isHeld(home: settings.home, backfill: backfill.id)
            let record: BackfillRecord?, runs: [RunSummary]
            do {
                record = try store.backfill(backfill.id)
                runs = try store.backfillRuns(backfill.id)
            } catch {
                throw AppError(error)
            }
            for run in runs.sorted(by: { $0.id < $1.id }) {
                let when = ISOTime.format(run.scheduledAt, zone: zone)
                if started.insert(run.id).inserted { say("\(when): run \(run.id) started") }
                if run.status.isFinished, ended.insert(run.id).inserted { say("\(when): run \(run.id) \(run.status.rawValue)") }
            }
            guard let record else {
                throw AppError(.notFound, "backfill \(backfill.id) disappeared from the store while it was followed (pruned or restored from a backup)")
            }
            if record.state != .running {
                let outcome = BackfillOutcome(record, runs: runs, zone: zone)
                say(outcome.line)
                return outcome.state == .succeeded ? .success : .failure
            }
            // The lease was looked at before the store was read: a driver that finished the
            // backfill and then released it is seen as finished above, never as gone.
            if heldBefore {
                driven = true
            } else {
                if driven {
                    driven = false
                    deadline = ContinuousClock.now + TriggerRun.answerTimeout
                }
                guard let daemon = DaemonLock.runningDaemon(home: settings.home) else {
                    say("nobody drives backfill \(backfill.id) now (its driver stopped before the end); the same command continues it")
                    return .cancelled
                }
                if ContinuousClock.now >= deadline {
                    throw AppError(.timedOut, "the daemon (pid \(daemon)) did not take up backfill \(backfill.id) within "
                        + "\(DurationText.format(TriggerRun.answerTimeout)) (is job \(job.name) loaded there? see its log); "
                        + "the backfill stays recorded, the daemon drives it when it can, and the same command follows it")
                }
            }
            try? await Task.sleep(for: followInterval)
        }
    }
}
