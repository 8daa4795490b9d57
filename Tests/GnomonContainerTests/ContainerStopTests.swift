import GnomonCore
import GnomonExecution
import GnomonTesting
import Synchronization
import Testing

/// Timeouts and cancellation stop the container by name and leave nothing behind.
@Suite("Container stops", .needsPodman)
struct ContainerStopTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let command: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a command that ends on SIGTERM", command: ["sleep", "100"]),
        Case(name: "a command that ignores SIGTERM is killed after the grace",
             command: ["sh", "-c", "trap '' TERM; sleep 100"]),
    ]

    @Test("timeout", arguments: cases)
    func timeout(_ testCase: Case) async throws {
        let executor = try await Podman.executor()
        let scratch = Scratch()
        defer { scratch.remove() }
        let tag = Tag.make("timeout")
        let launch = containerLaunch(testCase.command, tag: tag, in: scratch, timeout: .seconds(2), killGrace: .seconds(1))
        let start = ContinuousClock.now

        let outcome = await executor.run(launch) { _ in }

        let elapsed = (ContinuousClock.now - start).seconds
        #expect(outcome == .timedOut)
        // Far below the 100 s the command would run; generous, as podman is slow on a loaded 2-core machine.
        #expect(elapsed >= 2 && elapsed < 30, "took \(elapsed) s")
        #expect(try await Podman.containers(tagged: tag) == [])
    }

    @Test("cancelling the Swift task stops and removes the running container", arguments: cases)
    func cancel(_ testCase: Case) async throws {
        let executor = try await Podman.executor()
        let scratch = Scratch()
        defer { scratch.remove() }
        let tag = Tag.make("cancel")
        let launch = containerLaunch(testCase.command, tag: tag, in: scratch, killGrace: .seconds(1))
        let started = Mutex(false)

        let attempt = Task { await executor.run(launch) { _ in started.withLock { $0 = true } } }
        // Cancel once the container really runs, so the stop (not the create) is tested.
        #expect(try await Podman.waitUntilRunning(tag: tag))
        #expect(started.withLock { $0 })
        let start = ContinuousClock.now
        attempt.cancel()
        let outcome = await attempt.value

        #expect(outcome == .cancelled)
        #expect((ContinuousClock.now - start).seconds < 10)
        #expect(try await Podman.containers(tagged: tag) == [])
    }

    @Test("a task cancelled before the attempt starts nothing and writes no log")
    func cancelledBefore() async throws {
        let executor = try await Podman.executor()
        let scratch = Scratch()
        defer { scratch.remove() }
        let tag = Tag.make("cancel-before")
        let launch = containerLaunch(["true"], tag: tag, in: scratch)

        let attempt = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await executor.run(launch) { _ in Issue.record("nothing should start") }
        }

        #expect(await attempt.value == .cancelled)
        #expect(!ProcessProbe.fileExists(launch.logPath))
        #expect(try await Podman.containers(tagged: tag) == [])
    }
}
