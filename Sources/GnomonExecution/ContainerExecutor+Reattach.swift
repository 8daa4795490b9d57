import GnomonCore
import Glibc

extension ContainerExecutor {
    /// A container reference (its name) is one this executor can re-attach to.
    public func canReattach(_ reference: AttemptReference) -> Bool {
        reference.kind == .container
    }

    /// After a crash of Gnomon: re-attaches to the container `reference` names; see
    /// ``adopt(name:logPath:)``. `nil` for a reference that is not a container's.
    public func reattach(_ reference: AttemptReference, logPath: String) async -> AttemptOutcome? {
        guard canReattach(reference) else { return nil }
        return await adopt(name: reference.identifier, logPath: logPath)
    }

    /// Removes the container `reference` names, whatever its state; see ``discard(name:)``.
    public func discard(_ reference: AttemptReference, logPath: String) async {
        guard canReattach(reference) else { return }
        await discard(name: reference.identifier)
    }

    /// After a crash of Gnomon: re-attaches to an attempt's container by name.
    ///
    /// A container that still runs is waited for (not stopped: it keeps its work); one that has
    /// already exited gives its exit code; either way it is then removed. A container that was
    /// created but never started is removed and the attempt is `.interrupted`. A line saying so
    /// is appended to the attempt's log (created if it is missing); with podman the container
    /// itself kept writing to that log while Gnomon was down.
    ///
    /// If the calling task is cancelled while waiting, the container is stopped (`stop -t 10`,
    /// `rm -f`) and the outcome is `.cancelled`.
    /// - Returns: nil if no container of that name exists; `.lost` if the runtime cannot say.
    func adopt(name: String, logPath: String) async -> AttemptOutcome? {
        let state: ContainerState
        switch await cli.inspect(name) {
        case .missing: return nil
        case .failed: return .lost
        case .found(let found): state = found
        }
        let log = open(logPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        defer { if log >= 0 { close(log) } }
        DescriptorText.write("gnomon: re-attached to container \(name) (\(state.status)) after a restart of Gnomon\n", to: log)

        if state.neverStarted {
            await cli.remove(name)
            return .interrupted
        }
        let stopper = ContainerStopper(cli: cli, name: name, grace: Self.adoptionGrace)
        let outcome = await withTaskCancellationHandler {
            await conclude(name: name, attachedStatus: nil, logPath: logPath, log: log)
        } onCancel: {
            stopper.stop(because: .cancelled)
        }
        let stopReason = await stopper.finish()
        await cli.remove(name)
        return stopReason == nil ? outcome : .cancelled
    }

    /// The grace between SIGTERM and SIGKILL when an adopted container is stopped; the launch's
    /// own grace is not known after a crash, so this is the engine's default.
    static let adoptionGrace: Duration = .seconds(10)
}

extension ContainerExecutor {
    /// Removes an attempt's container whatever its state (`rm --force`): for an attempt whose run
    /// was cancelled while Gnomon was down, so no container outlives its attempt.
    func discard(name: String) async {
        await cli.remove(name)
    }
}
