import Foundation
import GnomonCore
import GnomonStore
import Logging

/// Manual runs asked for by `gnomon trigger`: the CLI writes a request and sends SIGUSR1; the
/// daemon also polls for requests every `triggerPollInterval` in case the signal was lost.
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
