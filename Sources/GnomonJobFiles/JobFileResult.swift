import GnomonCore

/// What loading one job file gave: the job with its graph and schedule, or every problem found
/// in it.
public enum JobFileResult: Sendable, Hashable {
    case loaded(ValidJob)
    /// Never empty.
    case failed([Diagnostic])

    /// The job, if the file was valid.
    public var job: ValidJob? {
        if case .loaded(let job) = self { return job }
        return nil
    }

    /// The job as written, if the file was valid.
    public var spec: JobSpec? { job?.spec }

    /// The problems, empty if the file was valid.
    public var diagnostics: [Diagnostic] {
        if case .failed(let diagnostics) = self { return diagnostics }
        return []
    }
}
