import Glibc
import GnomonExecution
import GnomonTesting
import Testing

/// The one thread that runs the engine's tasks and learns of child exits.
@Suite("Process loop")
struct ProcessLoopTests {
    @Test("a task that prefers the loop stays on one thread across a child's spawn and exit")
    func oneThread() async throws {
        let threads = try await Task(executorPreference: ProcessLoop.shared) {
            var seen: [pthread_t] = [pthread_self()]
            for code in [0, 3, 7] {
                let pid = try ProcessSpawner.shared.spawn(SpawnRequest(
                    executable: "/bin/sh", arguments: ["sh", "-c", "exit \(code)"], environment: [:]))
                seen.append(pthread_self())
                let status = await ProcessSpawner.shared.waitForExit(of: pid)
                #expect(status == .exited(code: Int32(code)))
                seen.append(pthread_self())
            }
            return seen
        }.value
        #expect(Set(threads.map { UInt($0) }).count == 1)
    }

    @Test("each of many children exiting together gets its own status", arguments: [1, 8, 100])
    func manyChildren(count: Int) async throws {
        let pids = try (0..<count).map { index in
            try ProcessSpawner.shared.spawn(SpawnRequest(
                executable: "/bin/sh", arguments: ["sh", "-c", "exit \(index % 200)"], environment: [:]))
        }
        for (index, pid) in pids.enumerated() {
            #expect(await ProcessSpawner.shared.waitForExit(of: pid) == .exited(code: Int32(index % 200)))
        }
    }

    @Test("a child started some other way is left to its owner")
    func foreignChild() async throws {
        var pid: pid_t = 0
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup("true"), nil]
        defer { free(argv[0]) }
        #expect(posix_spawn(&pid, "/bin/true", nil, nil, argv, nil) == 0)
        // Spawn and reap one of the spawner's own children meanwhile: the loop reaps only its own.
        let result = Task { try await ProcessSpawner.shared.runCapturingOutput(["/bin/true"], environment: [:]) }
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        #expect(status == 0)
        #expect(try await result.value.status == .exited(code: 0))
    }

    @Test("a child that has exited counts as exited before the busy loop reaps it")
    func exitedBeforeReaped() async throws {
        let pid = try ProcessSpawner.shared.spawn(SpawnRequest(
            executable: "/bin/sh", arguments: ["sh", "-c", "exit 5"], environment: [:]))
        // Keep the loop busy so that it cannot reap the child for a while.
        let busy = Task(executorPreference: ProcessLoop.shared) { usleep(400_000) }
        var zombie = false
        for _ in 0..<300 where !zombie {
            usleep(1000)
            zombie = ProcessProbe.isGone(pid)  // not reaped, so gone means a zombie
        }
        #expect(zombie, "the child should be a zombie while the loop is busy")
        #expect(ProcessSpawner.shared.hasExited(pid))
        await busy.value
        #expect(await ProcessSpawner.shared.waitForExit(of: pid) == .exited(code: 5))
    }
}
