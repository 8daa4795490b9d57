/// How a child process ended, as `waitpid` reported it.
public enum ProcessTermination: Sendable, Hashable, CustomStringConvertible {
    /// The process called `exit` (or returned from `main`) with this code, 0...255.
    case exited(code: Int32)
    /// A signal ended the process.
    case signalled(signal: Int32)
    /// The status could not be collected: someone else reaped the child (a `waitpid(-1)`
    /// elsewhere in the process, which breaks ``ProcessSpawner``'s contract).
    case unknown

    /// Decodes a raw `waitpid` status (the WIFEXITED / WTERMSIG macros, which Swift cannot import).
    init(waitStatus status: Int32) {
        let low = status & 0x7f
        if low == 0 {
            self = .exited(code: (status >> 8) & 0xff)
        } else if low != 0x7f {
            self = .signalled(signal: low)
        } else {
            // 0x7f means stopped, which waitpid without WUNTRACED never reports.
            self = .unknown
        }
    }

    public var description: String {
        switch self {
        case .exited(let code): return "exit \(code)"
        case .signalled(let signal): return "signal \(signal)"
        case .unknown: return "an unknown status (its exit was collected by someone else)"
        }
    }
}
