import CGnomonSpawn
import Glibc

/// Starts child processes with `posix_spawn` and collects their exit with one reaper thread.
///
/// **Every child of the Gnomon process must be started through ``shared``.** Its reaper calls
/// `waitpid(-1)`, so it also collects children started any other way (Foundation's `Process`,
/// swift-subprocess, `system()`), and their owners would never see them exit. Code that must run
/// a helper program, such as a container runtime's CLI, uses ``spawn(_:)`` and
/// ``waitForExit(of:)`` or ``runCapturingOutput(_:environment:workingDirectory:killGrace:)``.
///
/// No thread per child and no polling: a spawn costs one `posix_spawn` (a `vfork`-style clone
/// and an `exec`), and a waiting task costs one continuation.
public final class ProcessSpawner: Sendable {
    /// The spawner for the Gnomon process; there must be only one reaper per process.
    public static let shared = ProcessSpawner()

    private let children = ChildTable()

    private init() {}

    /// Starts a process; its exit must then be collected with ``waitForExit(of:)``.
    ///
    /// The child gets a default disposition for every signal and an empty signal mask (so a
    /// signal Gnomon ignores or blocks is not ignored by the task), and inherits no descriptor
    /// but its three standard streams.
    /// - Returns: the pid (also the process group id when `newSession` is set).
    /// - Throws: ``SpawnError`` when `posix_spawn` fails: the file is missing or not executable,
    ///   the working directory cannot be entered, or the system is out of processes.
    public func spawn(_ request: SpawnRequest) throws(SpawnError) -> Int32 {
        guard !request.arguments.isEmpty else {
            throw SpawnError(message: "could not start \(request.executable): the argument list is empty")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }

        // A chdir comes first, so a relative executable path is taken from the new directory.
        if let directory = request.workingDirectory {
            gnomon_spawn_addchdir(&actions, directory)
        }
        Self.add(request.standardInput, as: STDIN_FILENO, readOnly: true, to: &actions)
        Self.add(request.standardOutput, as: STDOUT_FILENO, readOnly: false, to: &actions)
        Self.add(request.standardError, as: STDERR_FILENO, readOnly: false, to: &actions)
        gnomon_spawn_addclosefrom(&actions, 3)

        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var flags = Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK)
        if request.newSession { flags |= gnomon_spawn_setsid }
        posix_spawnattr_setflags(&attributes, flags)

        let argv = CStringArray(request.arguments)
        let envp = CStringArray(request.environment.map { "\($0.key)=\($0.value)" })
        defer {
            argv.free()
            envp.free()
        }
        return try children.register { () throws(SpawnError) -> Int32 in
            var pid: pid_t = 0
            let result = posix_spawn(&pid, request.executable, &actions, &attributes, argv.pointers, envp.pointers)
            guard result == 0 else {
                throw SpawnError(
                    message: Self.explain(result, executable: request.executable, directory: request.workingDirectory),
                    errno: result)
            }
            return pid
        }
    }

    /// Waits, without blocking a thread, until the child `pid` has exited and been reaped.
    ///
    /// Call it exactly once per spawned pid. It does not react to cancellation: terminate the
    /// process (see ``killProcessGroup(_:signal:)``) and the wait ends when it exits.
    public func waitForExit(of pid: Int32) async -> ExitStatus {
        await children.waitForExit(of: pid)
    }

    /// Whether the reaper has already collected `pid`'s exit (true for pids it never started).
    /// Answers from the reaper's own table, so it is right even while the task waiting for the
    /// exit has not been resumed yet.
    public func hasExited(_ pid: Int32) -> Bool {
        !children.isRunning(pid)
    }

    private static func add(
        _ stream: SpawnRequest.Stream, as target: Int32, readOnly: Bool,
        to actions: inout posix_spawn_file_actions_t
    ) {
        switch stream {
        case .inherit:
            break
        case .null:
            posix_spawn_file_actions_addopen(&actions, target, "/dev/null", readOnly ? O_RDONLY : O_WRONLY, 0)
        case .descriptor(let descriptor):
            posix_spawn_file_actions_adddup2(&actions, descriptor, target)
        }
    }

    /// A reason for a failed `posix_spawn`; glibc reports exec and chdir failures through it.
    private static func explain(_ code: Int32, executable: String, directory: String?) -> String {
        let base = "could not start \(executable): \(ErrnoText.describe(code))"
        switch code {
        case ENOEXEC:
            return base + "; the file is not a program and does not start with a #! line"
        case EACCES:
            return base + "; check that the file is executable (chmod +x) and every folder on its path can be entered"
        case ENOENT, ENOTDIR:
            if let directory { return base + "; check the program path and the working directory \(directory)" }
            return base
        default:
            return base
        }
    }
}

/// A NULL-terminated array of C strings for `posix_spawn`, freed explicitly.
struct CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

    init(_ strings: [String]) {
        pointers = .allocate(capacity: strings.count + 1)
        for (index, string) in strings.enumerated() {
            pointers[index] = strdup(string)
        }
        pointers[strings.count] = nil
    }

    func free() {
        var index = 0
        while let string = pointers[index] {
            Glibc.free(string)
            index += 1
        }
        pointers.deallocate()
    }
}
