import Foundation
import GnomonCore
import GnomonJobFiles
import Synchronization

/// The daemon's jobs as last loaded, published for readers outside its loop (the HTTP server):
/// one copy, replaced by the loop after every load or reload, never read back by the loop.
public final class JobBoard: Sendable {
    /// One job file as the daemon holds it.
    public struct Job: Sendable {
        public var name: String
        public var path: String
        /// The last valid definition (kept while the file is invalid), nil if it never was valid.
        public var definition: ValidJob?
        /// The file's problems, empty while it is valid.
        public var problems: [Diagnostic]
    }

    private let state = Mutex<[String: Job]>([:])

    init() {}

    /// Every job, by name.
    public var jobs: [String: Job] { state.withLock { $0 } }

    public func job(_ name: String) -> Job? { state.withLock { $0[name] } }

    func publish(_ jobs: [String: Job]) { state.withLock { $0 = jobs } }
}

extension Daemon {
    /// Replaces the published jobs with the loop's current ones.
    func publishJobs() {
        var published: [String: JobBoard.Job] = [:]
        for (name, job) in jobs {
            published[name] = JobBoard.Job(name: name, path: job.path, definition: job.definition, problems: job.problems)
        }
        for (name, problems) in invalidOnly {
            let path = problems.first?.path ?? (options.jobsDirectory as NSString).appendingPathComponent(name + ".yaml")
            published[name] = JobBoard.Job(name: name, path: path, definition: nil, problems: problems)
        }
        board.publish(published)
    }
}
