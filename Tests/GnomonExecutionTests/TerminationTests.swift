import Glibc
import GnomonCore
import GnomonExecution
import GnomonTesting
import Synchronization
import Testing

/// Timeouts, cancellation and leftovers: nothing a task started outlives its attempt.
@Suite("Killing process groups")
struct TerminationTests {
    struct LeftoverCase: Sendable, CustomTestStringConvertible {
        let name: String
        let line: String
        var testDescription: String { name }
    }

    static let leftovers: [LeftoverCase] = [
        LeftoverCase(name: "a background job of a task that exits 0",
                     line: "sleep 300 & echo $! > child.pid; exit 0"),
        LeftoverCase(name: "a double-forked grandchild",
                     line: "(sleep 300 & echo $! > child.pid); exit 0"),
        LeftoverCase(name: "a background job of a task that fails",
                     line: "sleep 300 & echo $! > child.pid; exit 7"),
    ]

    @Test("no background process outlives the attempt", arguments: leftovers)
    func noLeftovers(_ testCase: LeftoverCase) async throws {
        let scratch = Scratch()
        let launch = shell(testCase.line, in: scratch)
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(clock.now - start < .seconds(2), "the attempt must not wait for its background job")
        #expect(outcome.kind == "exited")
        let pid = try #require(await ProcessProbe.waitForPID(in: scratch.file("child.pid")))
        #expect(await ProcessProbe.waitUntilGone(pid), "background process \(pid) survived its attempt")
        scratch.remove()
    }

    @Test("a timeout terminates the whole group well within the grace")
    func timeout() async throws {
        let scratch = Scratch()
        let launch = shell("sleep 30 & echo $! > child.pid; wait", in: scratch,
                           timeout: .milliseconds(300), killGrace: .seconds(5))
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        let elapsed = clock.now - start
        #expect(outcome == .timedOut)
        #expect(elapsed >= .milliseconds(300))
        #expect(elapsed < .seconds(2), "SIGTERM should end it long before the 5 s grace (took \(elapsed))")
        let pid = try #require(await ProcessProbe.waitForPID(in: scratch.file("child.pid")))
        #expect(await ProcessProbe.waitUntilGone(pid))
        scratch.remove()
    }

    @Test("a task ignoring SIGTERM is SIGKILLed after the grace")
    func ignoresTerm() async throws {
        let scratch = Scratch()
        let launch = shell("trap '' TERM; sleep 60 & echo $! > child.pid; wait; sleep 60", in: scratch,
                           timeout: .milliseconds(200), killGrace: .milliseconds(500))
        let clock = ContinuousClock()
        let start = clock.now
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        let elapsed = clock.now - start
        #expect(outcome == .timedOut)
        #expect(elapsed >= .milliseconds(650), "the grace must be given (took \(elapsed))")
        #expect(elapsed < .seconds(3), "SIGKILL must follow the grace (took \(elapsed))")
        let pid = try #require(await ProcessProbe.waitForPID(in: scratch.file("child.pid")))
        #expect(await ProcessProbe.waitUntilGone(pid))
        scratch.remove()
    }

    @Test("cancelling the calling task terminates the group")
    func cancellation() async throws {
        let scratch = Scratch()
        let launch = shell("sleep 30 & echo $! > child.pid; wait", in: scratch, killGrace: .seconds(5))
        let started = AsyncStream<StartedProcess>.makeStream()
        let task = Task {
            await LocalProcessExecutor().run(launch) { started.continuation.yield($0) }
        }
        var iterator = started.stream.makeAsyncIterator()
        let process = try #require(await iterator.next())
        let pid = try #require(await ProcessProbe.waitForPID(in: scratch.file("child.pid")))
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        let outcome = await task.value
        #expect(outcome == .cancelled)
        #expect(clock.now - start < .seconds(2))
        #expect(await ProcessProbe.waitUntilGone(pid))
        #expect(await ProcessProbe.waitUntilGone(process.pid))
        scratch.remove()
    }

    @Test("a task that ends by itself before its timeout keeps its own outcome")
    func endsBeforeTimeout() async {
        let scratch = Scratch()
        let launch = shell("exit 4", in: scratch, timeout: .seconds(5))
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == .exited(code: 4))
        scratch.remove()
    }
}
