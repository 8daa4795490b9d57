import Glibc
import GnomonExecution
import Synchronization

/// Records what an executor's `onStart` received.
public final class StartRecorder: Sendable {
    private let starts = Mutex<[StartedProcess]>([])
    private let groups = Mutex<[Int32]>([])

    public init() {}

    public var all: [StartedProcess] { starts.withLock { $0 } }
    /// `getpgid` of each started pid, read inside `onStart`.
    public var observedGroups: [Int32] { groups.withLock { $0 } }

    /// Pass as `onStart`: `executor.run(launch, onStart: recorder.record)`.
    public func record(_ process: StartedProcess) {
        let group = getpgid(process.pid)
        starts.withLock { $0.append(process) }
        groups.withLock { $0.append(group) }
    }
}
