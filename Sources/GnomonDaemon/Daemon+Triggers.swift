import Foundation
import GnomonCore
import GnomonStore
import Logging

/// Manual runs asked for by `gnomon trigger` or the API, and retries asked for by the API: a
/// request in the store and a nudge (SIGUSR1, or the inbox); the daemon also polls for requests
/// every `triggerPollInterval` in case the nudge was lost.
extension Daemon {
    /// Claims every waiting request and starts its run (a paused job's too), or records why not.
    ///
    /// - Parameter nudged: SIGUSR1 arrived; otherwise a cheap read looks for requests first.
    func claimTriggers(nudged: Bool, now: Date) {
        let requests: [TriggerRequest]
        do {
            if !nudged, try !store.hasUnclaimedTriggerRequests() { return }
            requests = try store.claimTriggerRequests(at: now)
        } catch {
            logger.error("could not read trigger requests", metadata: ["error": "\(error)"])
            return
        }
        for request in requests {
            if let run = request.retryOf {
                retry(run, request: request)
                continue
            }
            guard let job = jobs[request.job] else {
                let reason: String
                if let problems = invalidOnly[request.job] {
                    reason = "job \(request.job) is invalid: \(problems.first.map { "\($0)" } ?? "")"
                } else {
                    reason = "no job \"\(request.job)\" in \(options.jobsDirectory)"
                }
                refuse(request, reason: reason)
                continue
            }
            do {
                let run = try engine.prepareDaemonRun(
                    job: job.definition, trigger: .manual, scheduledAt: request.requestedAt, params: request.params,
                    only: request.tasks.isEmpty ? nil : Set(request.tasks), request: request.id, seed: random.next())
                logger.info("triggered run created", metadata: [
                    "job": "\(job.name)", "run": "\(run.id)", "request": "\(request.id)",
                ])
                start(run, job: job.name)
            } catch {
                refuse(request, reason: "could not create the run: \(error)")
            }
        }
    }

    /// Reopens a failed or cancelled run asked for through the API and starts it (its job need
    /// not be loaded: a retry follows the definition the run started with). The reopen answers
    /// the request in the same transaction, so a crash leaves either a request claimed again at
    /// the next start or a queued run that recovery continues.
    private func retry(_ runID: Int64, request: TriggerRequest) {
        do {
            let run = try engine.prepareRetry(of: runID, request: request.id, seed: random.next())
            logger.info("run retried", metadata: ["job": "\(run.job.name)", "run": "\(runID)", "request": "\(request.id)"])
            start(run, job: run.job.name)
        } catch {
            refuse(request, reason: "could not retry run \(runID): \(error)")
        }
    }

    private func refuse(_ request: TriggerRequest, reason: String) {
        logger.warning("trigger request refused", metadata: [
            "job": "\(request.job)", "request": "\(request.id)", "reason": "\(reason)",
        ])
        do {
            try store.rejectTrigger(request.id, reason: reason)
        } catch {
            logger.error("could not record a refused trigger request", metadata: ["request": "\(request.id)", "error": "\(error)"])
        }
    }
}
