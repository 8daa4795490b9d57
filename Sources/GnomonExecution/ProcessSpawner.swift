import CGnomonSpawn
import Glibc

/// Starts child processes (`vfork` and `exec`, see `gnomon_spawn`) and collects their exit on the
/// ``ProcessLoop``.
///
/// Start every child of the Gnomon process through ``shared``, so that each one is reaped:
/// a program run any other way (Foundation's `Process`, `system()`) is never reaped by Gnomon.
/// Code that must run a helper program, such as a container runtime's CLI, uses ``spawn(_:)``
/// and ``waitForExit(of:)`` or ``runCapturingOutput(_:environment:workingDirectory:input:killGrace:)``.
///
/// No thread per child and no polling: a spawn costs one `vfork`, an `exec` and a pidfd (no stack
/// is mapped for the child, unlike glibc's `posix_spawn`), and a waiting task costs one
/// continuation.
public final class ProcessSpawner: Sendable {
    /// The spawner for the Gnomon process.
    public static let shared = ProcessSpawner()

    private let children = ChildTable()
    /// `/dev/null`, opened once (close-on-exec) for every child whose stream is ``SpawnRequest/Stream/null``:
    /// the child then only `dup2`s it. `GNOMON_STREAM_NULL` (each child opens it) when it could
    /// not be opened, or came out as a standard stream's number (0-2, when Gnomon was started
    /// with one closed), which a child's own stream would replace before it was copied.
    private let devNull: Int32

    private init() {
        let descriptor = open("/dev/null", O_RDWR | O_CLOEXEC)
        if descriptor > STDERR_FILENO {
            devNull = descriptor
        } else {
            if descriptor >= 0 { close(descriptor) }
            devNull = GNOMON_STREAM_NULL
        }
    }

    /// Starts a process; its exit must then be collected with ``waitForExit(of:)``.
    ///
    /// The child gets a default disposition for every signal and an empty signal mask (so a
    /// signal Gnomon ignores or blocks is not ignored by the task), and inherits no descriptor
    /// but its three standard streams.
    /// - Returns: the pid (also the process group id when `ownGroup` is set).
    /// - Throws: ``SpawnError`` when the spawn fails: the file is missing or not executable,
    ///   the working directory cannot be entered, or the system is out of processes.
    public func spawn(_ request: SpawnRequest) throws(SpawnError) -> Int32 {
        guard !request.arguments.isEmpty else {
            throw SpawnError(message: "could not start \(request.executable): the argument list is empty")
        }
        let argv = CStringArray(request.arguments)
        let envp = CStringArray(environment: request.environment)
        defer {
            argv.free()
            envp.free()
        }
        return try children.register({ () throws(SpawnError) -> Int32 in
            var error: Int32 = 0
            let pid = gnomon_spawn(
                request.executable, argv.pointers, envp.pointers, request.workingDirectory,
                code(request.standardInput), code(request.standardOutput), code(request.standardError),
                request.ownGroup ? 1 : 0, &error)
            guard pid > 0 else {
                throw SpawnError(
                    message: Self.explain(error, executable: request.executable, directory: request.workingDirectory),
                    errno: error)
            }
            return pid
        }, couldNotWatch: { code in
            SpawnError(
                message: "could not watch \(request.executable) for its exit (pidfd_open: \(ErrnoText.describe(code))); it was killed. Raise the limit of open files (ulimit -n) if it is reached",
                errno: code)
        })
    }

    /// Waits, without blocking a thread, until the child `pid` has exited and been reaped.
    ///
    /// Call it exactly once per spawned pid. It does not react to cancellation: terminate the
    /// process (see ``killProcessGroup(_:signal:)``) and the wait ends when it exits.
    public func waitForExit(of pid: Int32) async -> ProcessTermination {
        await children.waitForExit(of: pid)
    }

    /// Whether `pid` has exited (true for pids it never started). Right even while the task
    /// waiting for the exit has not been resumed yet, or the exit not reaped yet.
    public func hasExited(_ pid: Int32) -> Bool {
        !children.isRunning(pid)
    }

    /// How `gnomon_spawn` names a standard stream.
    private func code(_ stream: SpawnRequest.Stream) -> Int32 {
        switch stream {
        case .inherit: return GNOMON_STREAM_INHERIT
        case .null: return devNull
        case .descriptor(let descriptor): return descriptor
        }
    }

    /// A reason for a failed spawn: the errno of the step that failed (fork, setpgid, chdir, exec).
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

/// A NULL-terminated array of C strings for `execve`, freed explicitly: the strings packed in
/// one buffer, so an attempt's few dozen environment variables cost two allocations, not one
/// per string and one per `KEY=value` formatted.
struct CStringArray {
    let pointers: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    private let storage: UnsafeMutableRawBufferPointer

    init(_ strings: [String]) {
        self.init(count: strings.count, bytes: strings.reduce(0) { $0 + $1.utf8.count + 1 }) { index, write in
            write(strings[index])
        }
    }

    /// `KEY=value` for each variable.
    init(environment: [String: String]) {
        let pairs = Array(environment)
        let bytes = pairs.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 2 }
        self.init(count: pairs.count, bytes: bytes) { index, write in
            write(pairs[index].key)
            write("=")
            write(pairs[index].value)
        }
    }

    /// `count` strings of `bytes` bytes in all (each NUL included), the `index`th one written
    /// by `fill` in pieces.
    private init(count: Int, bytes: Int, fill: (Int, (String) -> Void) -> Void) {
        pointers = .allocate(capacity: count + 1)
        storage = .allocate(byteCount: max(bytes, 1), alignment: 1)
        var offset = 0
        for index in 0..<count {
            pointers[index] = storage.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self)
            fill(index) { piece in
                var piece = piece
                piece.withUTF8 { utf8 in
                    UnsafeMutableRawBufferPointer(rebasing: storage[offset..<offset + utf8.count]).copyMemory(from: UnsafeRawBufferPointer(utf8))
                    offset += utf8.count
                }
            }
            storage[offset] = 0
            offset += 1
        }
        pointers[count] = nil
    }

    func free() {
        storage.deallocate()
        pointers.deallocate()
    }
}
