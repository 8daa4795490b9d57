import Foundation
import GnomonCore

extension Alert.Kind {
    /// How a headline says it: `failed`, `recovered`, `is late`.
    var verb: String {
        switch self {
        case .failure: "failed"
        case .success: "succeeded"
        case .recovery: "recovered"
        case .retry: "is retrying"
        case .timeout: "timed out"
        case .skipped: "skipped a run"
        case .missed: "missed a run"
        case .late: "is late"
        case .invalid: "has an invalid job file"
        case .test: "test message"
        case .diskLow: "waits for disk space"
        case .diskOk: "has disk space again"
        }
    }
}

extension Alert {
    /// `nightly-etl failed (run 812)`: the job, what happened and the run; a mail's subject after
    /// `[gnomon] `.
    public static func headline(type: Kind, job: String, runID: Int64?) -> String {
        "\(job) \(type.verb)" + (runID.map { " (run \($0))" } ?? "")
    }

    /// The one-line ``text`` for chat tools: the headline, then the failed tasks,
    /// `nightly-etl failed (run 812): task load exit 3`.
    public static func oneLine(type: Kind, job: String, runID: Int64?, failedTasks: [FailedTask]) -> String {
        let headline = headline(type: type, job: job, runID: runID)
        guard !failedTasks.isEmpty else { return headline }
        return headline + ": " + failedTasks.map { "task \($0.task) \($0.reason)" }.joined(separator: ", ")
    }

    /// This alert's headline.
    public var headline: String { Self.headline(type: type, job: job, runID: runID) }

    /// The JSON body a webhook receives: sorted keys, unescaped slashes, UTF-8.
    public func jsonBody() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, numbers and arrays of them cannot fail.
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// The plain-text body of a mail: the one line, then every fact on its own line, then each
    /// failed task with the end of its log.
    public var plainText: String {
        var lines = [text, ""]
        func fact(_ name: String, _ value: String?) {
            if let value { lines.append("\(name): \(value)") }
        }
        fact("Job", job)
        fact("Event", type.rawValue)
        fact("Run", runID.map(String.init))
        fact("Status", status)
        fact("Previous status", previousStatus)
        fact("Consecutive failures", consecutiveFailures.map(String.init))
        fact("Trigger", trigger)
        fact("Scheduled at", scheduledAt.map(ISOTime.utc))
        fact("Started at", startedAt.map(ISOTime.utc))
        fact("Finished at", finishedAt.map(ISOTime.utc))
        fact("Duration", durationSeconds.map { "\($0)s" })
        fact("Run page", url)
        fact("Event id", String(eventID))
        for task in failedTasks {
            lines.append("")
            lines.append("Task \(task.task): \(task.reason)" + (task.exitCode.map { " (exit code \($0))" } ?? ""))
            if !task.logTail.isEmpty {
                lines.append("Last lines of its log:")
                lines.append(contentsOf: task.logTail.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
