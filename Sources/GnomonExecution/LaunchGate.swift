/// Says when an attempt may create its process.
///
/// An executor prepares everything it can first (the log file, the working directory and
/// command checks, the container's arguments), then asks the gate, then creates the process. The
/// engine opens the gate once the changes that made the task ready are committed, so the
/// preparation overlaps that commit while no process ever exists ahead of its task's recorded
/// readiness.
public protocol LaunchGate: Sendable {
    /// Waits until the process may be created. `false`: it must not be (the engine could not
    /// record the run); the attempt then ends `.cancelled` with nothing started.
    func mayStart() async -> Bool
}

/// A gate that is always open: for callers with nothing to wait for.
public struct OpenGate: LaunchGate {
    public init() {}

    public func mayStart() async -> Bool { true }
}
