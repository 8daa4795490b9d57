import GnomonCore

/// What loading one job file gave: the job, or every problem found in it.
public enum JobFileResult: Sendable, Hashable {
    case loaded(JobSpec)
    /// Never empty.
    case failed([Diagnostic])

    /// The job, if the file was valid.
    public var spec: JobSpec? {
        if case .loaded(let spec) = self { return spec }
        return nil
    }

    /// The problems, empty if the file was valid.
    public var diagnostics: [Diagnostic] {
        if case .failed(let diagnostics) = self { return diagnostics }
        return []
    }
}
