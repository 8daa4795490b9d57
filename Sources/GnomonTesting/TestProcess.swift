import Glibc
import GnomonExecution
import Synchronization

/// A program a test started through `ProcessSpawner.shared`, its output going to files.
///
/// Every child of the test process is spawned this way, never with Foundation's `Process`:
/// one way to start and reap children in the process (see `ProcessSpawner`), the one the
/// engine uses.
public final class TestProcess: Sendable {
    /// The process id; also its process group id when started with `ownGroup`.
    public let pid: Int32
    /// The one wait for the exit (a pid may be waited for only once), made on first request.
    private let exit = Mutex<Task<ProcessTermination, Never>?>(nil)

    private init(pid: Int32) {
        self.pid = pid
    }

    /// Starts `arguments` (`argv[0]` a path, or a name looked up in `environment["PATH"]`).
    ///
    /// - Parameters:
    ///   - stdout: a file that receives standard output (created or emptied); nil for `/dev/null`.
    ///   - stderr: the same for standard error.
    ///   - ownGroup: a process group of its own (pid == pgid).
    public static func start(
        _ arguments: [String], environment: [String: String], workingDirectory: String? = nil,
        stdout: String? = nil, stderr: String? = nil, ownGroup: Bool = true
    ) throws -> TestProcess {
        guard let command = arguments.first else { throw TestSetupError("cannot start a process: no arguments") }
        let executable = try CommandResolver()
            .resolve(command, environment: environment, workingDirectory: workingDirectory ?? "/").get()
        let output = try openForOutput(stdout)
        defer { if output >= 0 { close(output) } }
        let errors = try openForOutput(stderr)
        defer { if errors >= 0 { close(errors) } }
        let pid = try ProcessSpawner.shared.spawn(SpawnRequest(
            executable: executable, arguments: arguments, environment: environment,
            workingDirectory: workingDirectory, standardInput: .null,
            standardOutput: output >= 0 ? .descriptor(output) : .null,
            standardError: errors >= 0 ? .descriptor(errors) : .null, ownGroup: ownGroup))
        return TestProcess(pid: pid)
    }

    /// Whether the process has not been reaped yet.
    public var isRunning: Bool { !ProcessSpawner.shared.hasExited(pid) }

    /// Sends `signal` to the process (to its whole group with `group`).
    public func send(_ signal: Int32, group: Bool = false) {
        kill(group ? -pid : pid, signal)
    }

    /// Waits, without blocking a thread, until the process has exited; returns how it ended.
    public func status() async -> ProcessTermination {
        let pid = self.pid
        let wait = exit.withLock { task in
            if let task { return task }
            let made = Task { await ProcessSpawner.shared.waitForExit(of: pid) }
            task = made
            return made
        }
        return await wait.value
    }

    /// Waits for the exit; returns the exit code as a shell reports it (128 + N for signal N).
    public func exitCode() async -> Int32 {
        await status().shellCode
    }

    /// Opens `path` for a child's output (created or emptied); -1 for none.
    private static func openForOutput(_ path: String?) throws -> Int32 {
        guard let path else { return -1 }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw TestSetupError("could not open \(path) for a child's output: \(String(cString: strerror(errno)))")
        }
        return descriptor
    }
}

extension ProcessTermination {
    /// The exit code as a shell reports it: the code, 128 + N for signal N, -1 when unknown.
    public var shellCode: Int32 {
        switch self {
        case .exited(let code): return code
        case .signalled(let signal): return 128 + signal
        case .unknown: return -1
        }
    }
}
