import Synchronization

/// Lets another task steer a run that is executing: cancel it (Ctrl-C, `kill`, a replacing run)
/// or drain it (daemon shutdown).
public final class RunControl: Sendable {
    /// What can be asked of a run.
    enum Request: Sendable {
        case cancel(reason: String)
        case drain(grace: Duration)
    }

    private let state = Mutex<State>(State())

    private struct State {
        var pending: [Request] = []
        var deliver: (@Sendable (Request) -> Void)?
    }

    public init() {}

    /// Asks the run to stop: running tasks are killed, the rest cancelled, the run recorded
    /// cancelled with `reason`. Safe to call before the run starts or after it ends.
    public func cancel(reason: String) { send(.cancel(reason: reason)) }

    /// Asks the run to start nothing new and give running tasks `grace` to end; after that they
    /// are killed and recorded interrupted, and the run is left unfinished for the next runner.
    public func drain(grace: Duration) { send(.drain(grace: grace)) }

    private func send(_ request: Request) {
        let deliver = state.withLock { state -> (@Sendable (Request) -> Void)? in
            if state.deliver == nil { state.pending.append(request) }
            return state.deliver
        }
        deliver?(request)
    }

    func attach(_ deliver: @escaping @Sendable (Request) -> Void) {
        let pending = state.withLock { state -> [Request] in
            state.deliver = deliver
            defer { state.pending = [] }
            return state.pending
        }
        for request in pending { deliver(request) }
    }

    func detach() {
        state.withLock { $0.deliver = nil }
    }
}
