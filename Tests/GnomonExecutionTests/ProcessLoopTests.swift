import Glibc
import GnomonExecution
import GnomonTesting
import Synchronization
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

    @Test("timers fire on the loop, in deadline order, never early", arguments: [
        [Duration.milliseconds(0)],
        [.milliseconds(30), .milliseconds(5), .milliseconds(15)],
        [.milliseconds(10), .milliseconds(10), .zero],
    ])
    func timers(_ delays: [Duration]) async {
        let loop = Self.loopThread  // learnt first: asking on the loop itself would wait for the loop
        let clock = ContinuousClock()
        let start = clock.now
        let fired = await withCheckedContinuation { (continuation: CheckedContinuation<[(Int, Duration, Bool)], Never>) in
            let log = Mutex<[(Int, Duration, Bool)]>([])
            for (index, delay) in delays.enumerated() {
                // Armed from this thread while the loop may be asleep: arming must wake it.
                ProcessLoop.shared.after(delay) {
                    let onLoop = UInt(pthread_self()) == loop
                    let all = log.withLock { log -> [(Int, Duration, Bool)]? in
                        log.append((index, clock.now - start, onLoop))
                        return log.count == delays.count ? log : nil
                    }
                    if let all { continuation.resume(returning: all) }
                }
            }
        }
        let order = delays.indices.sorted { (delays[$0], $0) < (delays[$1], $1) }
        #expect(fired.map(\.0).map { delays[$0] } == order.map { delays[$0] })
        for (index, elapsed, onLoop) in fired {
            #expect(elapsed >= delays[index], "timer \(index) fired after \(elapsed), before its \(delays[index])")
            #expect(onLoop)
        }
    }

    @Test("timers that fall due while the loop is busy still fire in deadline order")
    func timersDueTogether() async {
        let delays: [Duration] = [.milliseconds(30), .milliseconds(5), .milliseconds(15)]
        let entered = Mutex(false)
        let busy = Task(executorPreference: ProcessLoop.shared) {
            entered.withLock { $0 = true }
            usleep(80_000)
        }
        // Timers are set only once the loop is inside the busy task's sleep.
        #expect(await eventually(within: TestTiming.patience, every: .milliseconds(1)) { entered.withLock { $0 } })
        let order = await withCheckedContinuation { (continuation: CheckedContinuation<[Int], Never>) in
            let log = Mutex<[Int]>([])
            for (index, delay) in delays.enumerated() {
                ProcessLoop.shared.after(delay) {
                    let all = log.withLock { log -> [Int]? in
                        log.append(index)
                        return log.count == delays.count ? log : nil
                    }
                    if let all { continuation.resume(returning: all) }
                }
            }
        }
        await busy.value
        #expect(order == [1, 2, 0])
    }

    /// The process loop's thread, as a timer sees it.
    static let loopThread: UInt = {
        let semaphore = Mutex<UInt?>(nil)
        ProcessLoop.shared.after(.zero) { semaphore.withLock { $0 = UInt(pthread_self()) } }
        while semaphore.withLock({ $0 }) == nil { usleep(100) }
        return semaphore.withLock { $0! }
    }()
}
