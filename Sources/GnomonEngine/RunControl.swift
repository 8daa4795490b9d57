import Synchronization

/// Lets another task stop a run that is executing (Ctrl-C, a replacing run, a shutdown).
public final class RunControl: Sendable {
    private let state = Mutex<State>(State())

    private struct State {
        var pending: String?
        var deliver: (@Sendable (String) -> Void)?
    }

    public init() {}

    /// Asks the run to stop: running tasks are killed, the rest cancelled, the run recorded
    /// cancelled with `reason`. Safe to call before the run starts or after it ends.
    public func cancel(reason: String) {
        let deliver = state.withLock { state -> (@Sendable (String) -> Void)? in
            if state.deliver == nil, state.pending == nil { state.pending = reason }
            return state.deliver
        }
        deliver?(reason)
    }

    func attach(_ deliver: @escaping @Sendable (String) -> Void) {
        let pending = state.withLock { state -> String? in
            state.deliver = deliver
            defer { state.pending = nil }
            return state.pending
        }
        if let pending { deliver(pending) }
    }

    func detach() {
        state.withLock { $0.deliver = nil }
    }
}
