import Foundation
import GnomonCore
import GnomonEngine
import Logging

/// Logs one run's progress, each line carrying the job and run (and the task and attempt where
/// there is one) as metadata.
struct DaemonObserver: RunObserver {
    let logger: Logger

    init(logger: Logger, job: String, run: Int64) {
        var logger = logger
        logger[metadataKey: "job"] = "\(job)"
        logger[metadataKey: "run"] = "\(run)"
        self.logger = logger
    }

    func progress(_ event: RunProgress) {
        switch event {
        case let .runStarted(_, _, tasks):
            logger.info("run started", metadata: ["tasks": "\(tasks)"])
        case let .attemptStarted(task, attempt, pid, _):
            logger.info("attempt started", metadata: [
                "task": "\(task)", "attempt": "\(attempt)", "pid": "\(pid.map(String.init) ?? "-")",
            ])
        case let .attemptFinished(task, attempt, outcome, _):
            let level: Logger.Level = outcome.succeeded ? .info : .warning
            logger.log(level: level, "attempt ended", metadata: [
                "task": "\(task)", "attempt": "\(attempt)", "outcome": "\(outcome.summary)",
            ])
        case let .taskChanged(task, status, reason, retryAt):
            guard status == .retrying || status == .skipped || status == .failed else { return }
            var metadata: Logger.Metadata = ["task": "\(task)", "status": "\(status.rawValue)"]
            if let reason { metadata["reason"] = "\(reason)" }
            if let retryAt { metadata["retry_at"] = "\(ISOTime.utc(retryAt))" }
            logger.info("task \(status.rawValue)", metadata: metadata)
        case let .runFinished(_, status, reason, _):
            var metadata: Logger.Metadata = ["status": "\(status.rawValue)"]
            if let reason { metadata["reason"] = "\(reason)" }
            let level: Logger.Level = status == .succeeded || !status.isFinished ? .info : .warning
            logger.log(level: level, status.isFinished ? "run finished" : "run left unfinished for the next start", metadata: metadata)
        case let .storeFailed(message):
            logger.error("could not record a change; the run stops", metadata: ["error": "\(message)"])
        }
    }
}
