import Glibc
import GnomonExecution
import GnomonTesting
import Testing

/// The general spawner other parts (a container launcher) use, and the group utilities.
@Suite("Process spawner")
struct ProcessSpawnerTests {
    @Test("captures stdout, stderr and the exit code")
    func capture() async throws {
        let result = try await ProcessSpawner.shared.runCapturingOutput(
            ["sh", "-c", "echo out; echo err >&2; exit 4"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(result.status == .exited(code: 4))
        #expect(result.outputText == "out\n")
        #expect(result.errorText == "err\n")
    }

    @Test("captures more output than a pipe holds without blocking")
    func largeCapture() async throws {
        let result = try await ProcessSpawner.shared.runCapturingOutput(
            ["/bin/sh", "-c", "head -c 3000000 /dev/zero"], environment: [:])
        #expect(result.status == .exited(code: 0))
        #expect(result.standardOutput.count == 3_000_000)
    }

    @Test("runs in the given working directory")
    func workingDirectory() async throws {
        let result = try await ProcessSpawner.shared.runCapturingOutput(
            ["/bin/pwd"], environment: [:], workingDirectory: "/usr")
        #expect(result.outputText == "/usr\n")
    }

    @Test("a missing helper throws with the lookup reason")
    func missingHelper() async {
        await #expect(throws: SpawnError(message: "command \"nosuch-podman\" not found in PATH (/usr/bin)")) {
            try await ProcessSpawner.shared.runCapturingOutput(["nosuch-podman", "ps"], environment: ["PATH": "/usr/bin"])
        }
    }

    struct SpawnFailure: Sendable, CustomTestStringConvertible {
        let name: String
        let executable: String
        let directory: String?
        let errno: Int32
        var testDescription: String { name }
    }

    static let failures: [SpawnFailure] = [
        SpawnFailure(name: "exec of a non-executable file is EACCES", executable: "/etc/passwd", directory: nil, errno: EACCES),
        SpawnFailure(name: "exec of a missing file is ENOENT", executable: "/nonexistent/tool", directory: nil, errno: ENOENT),
        SpawnFailure(name: "a missing working directory is ENOENT", executable: "/bin/true", directory: "/nonexistent/dir", errno: ENOENT),
    ]

    @Test("spawn failures are thrown with their errno", arguments: failures)
    func spawnFailure(_ failure: SpawnFailure) {
        let request = SpawnRequest(executable: failure.executable, arguments: [failure.executable],
                                   environment: [:], workingDirectory: failure.directory)
        #expect(throws: SpawnError.self) { try ProcessSpawner.shared.spawn(request) }
        do {
            _ = try ProcessSpawner.shared.spawn(request)
        } catch {
            #expect(error.errno == failure.errno)
            #expect(error.message.hasPrefix("could not start \(failure.executable): "))
        }
    }

    @Test("a child that exits before anyone waits is still reported")
    func earlyExit() async throws {
        let pid = try ProcessSpawner.shared.spawn(SpawnRequest(
            executable: "/bin/sh", arguments: ["sh", "-c", "exit 9"], environment: [:]))
        #expect(await ProcessProbe.waitUntilGone(pid), "the child did not exit")
        #expect(await ProcessSpawner.shared.waitForExit(of: pid) == .exited(code: 9))
    }

    @Test("a process group is alive until killed, and gone once reaped")
    func groupLiveness() async throws {
        let pid = try ProcessSpawner.shared.spawn(SpawnRequest(
            executable: "/bin/sleep", arguments: ["sleep", "30"], environment: [:]))
        #expect(getpgid(pid) == pid)
        #expect(isProcessGroupAlive(pid))
        #expect(killProcessGroup(pid, signal: SIGKILL))
        #expect(await ProcessSpawner.shared.waitForExit(of: pid) == .signalled(signal: SIGKILL))
        #expect(!isProcessGroupAlive(pid))
        #expect(!killProcessGroup(pid, signal: SIGTERM))
    }

    @Test("a signal ignored by Gnomon is not ignored by the child")
    func signalDispositionsAreReset() async throws {
        let previous = signal(SIGTERM, SIG_IGN)
        defer { signal(SIGTERM, previous) }
        let pid = try ProcessSpawner.shared.spawn(SpawnRequest(
            executable: "/bin/sleep", arguments: ["sleep", "30"], environment: [:]))
        killProcessGroup(pid, signal: SIGTERM)
        #expect(await ProcessSpawner.shared.waitForExit(of: pid) == .signalled(signal: SIGTERM))
    }

    @Test("a signal blocked by the spawning thread is not blocked in the child")
    func signalMaskIsEmptied() async throws {
        var blocked = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGTERM)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        let spawned = Result { try ProcessSpawner.shared.spawn(SpawnRequest(
            executable: "/bin/sleep", arguments: ["sleep", "30"], environment: [:])) }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        let pid = try spawned.get()
        killProcessGroup(pid, signal: SIGTERM)
        #expect(await ProcessSpawner.shared.waitForExit(of: pid) == .signalled(signal: SIGTERM))
    }

    @Test("the child inherits no descriptor but its three standard streams")
    func descriptorsAreClosed() async throws {
        let leaked = open("/dev/null", O_RDONLY)  // no O_CLOEXEC: only the spawn can close it
        #expect(leaked > 2)
        defer { close(leaked) }
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            ["/bin/sh", "-c", "ls /proc/$$/fd"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(output.status == .exited(code: 0))
        let descriptors = Set(output.outputText.split(separator: "\n").map(String.init))
        #expect(descriptors == ["0", "1", "2"], "the shell holds \(descriptors.sorted())")
    }
}
