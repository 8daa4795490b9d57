import Foundation
import GnomonCore
@testable import GnomonEngine
import GnomonStore
import GnomonTesting
import Synchronization
import Testing

/// The run recorder: ordered group commit and the gates launches wait at, on a real SQLite file.
@Suite("The run recorder")
struct RunRecorderTests {
    /// A store holding one run of a job with the given tasks, all waiting.
    private final class Fixture: Sendable {
        let home: TemporaryHome
        let store: GnomonStore
        let run: Int64
        let failures = Mutex<[String]>([])

        init(tasks: [String]) throws {
            home = try TemporaryHome()
            store = try home.openStore()
            var builder = JobBuilder("recorded", directory: home.jobs)
            for task in tasks { builder = builder.task(task, run: "true") }
            let job = builder.build()
            run = try store.createRun(NewRun(
                job: job.name, trigger: .manual, scheduledAt: Date(), createdAt: Date(), params: [:],
                snapshot: job, runnerPID: getpid(), runnerInstance: "test-runner",
                tasks: tasks.map { NewTask(name: $0, status: .waiting, reason: nil) }))
        }

        func recorder() -> RunRecorder {
            RunRecorder(store: store) { [self] message in failures.withLock { $0.append(message) } }
        }

        func status(_ task: String) throws -> TaskStatus? {
            try store.run(run)?.tasks.first { $0.name == task }?.status
        }

        func ready(_ task: String) -> StoreChange {
            .taskStatus(run: run, task: task, status: .ready, reason: nil, retryAt: nil, at: Date())
        }

        func started(_ task: String, _ number: Int) -> StoreChange {
            .attemptStarted(
                run: run, task: task, number: number, at: Date(), pid: nil, pgid: nil, containerName: nil,
                logPath: home.path("\(task).\(number).log"), runnerInstance: "test-runner")
        }

        func finished(_ task: String, _ number: Int) -> StoreChange {
            .attemptFinished(run: run, task: task, number: number, outcome: .exited(code: 0), at: Date())
        }
    }

    @Test("a gate commits what was queued before it, and only then opens")
    func gateCommitsFirst() async throws {
        let fixture = try Fixture(tasks: ["a", "b"])
        let recorder = fixture.recorder()
        #expect(await recorder.gate().mayStart(), "nothing queued: the gate is open")

        recorder.enqueue([fixture.ready("a")])
        let gate = recorder.gate()
        recorder.enqueue([fixture.ready("b")])
        #expect(try fixture.status("a") == .waiting, "enqueue alone wrote to the store")
        // Nothing else commits: the gate must, or it never opens.
        let answer = Mutex<Bool?>(nil)
        Task.detached { let open = await gate.mayStart(); answer.withLock { $0 = open } }
        #expect(await eventually(within: TestTiming.patience) { answer.withLock { $0 } != nil })
        #expect(answer.withLock { $0 } == true, "the gate did not open")
        #expect(try fixture.status("a") == .ready, "the gate opened before its change was committed")
        // One writer takes the whole queue: what was queued after the gate went along.
        #expect(try fixture.status("b") == .ready)
        #expect(fixture.failures.withLock { $0 }.isEmpty)
    }

    @Test("a gate waits for the writer that has taken its changes")
    func gateWaitsForTheWriter() async throws {
        let fixture = try Fixture(tasks: ["a"])
        let recorder = fixture.recorder()
        // Another process holds the write lock until told to let go (or 5 s have passed, within
        // the store's busy timeout), so the writer below blocks in its transaction.
        let locked = fixture.home.path("locked"), release = fixture.home.path("release")
        let holder = try TestProcess.start(
            ["sqlite3", fixture.home.database, "BEGIN IMMEDIATE;",
             ".shell echo x > '\(locked)'; i=0; while [ ! -e '\(release)' ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i+1)); done",
             "COMMIT;"],
            environment: ProcessInfo.processInfo.environment)
        #expect(await ProcessProbe.waitForLine(in: locked) != nil)
        recorder.enqueue([fixture.ready("a")])
        let gate = recorder.gate()
        let writer = Task.detached { recorder.commit() }
        // Not a wait for an event: a head start for the writer, so that the gate below usually
        // finds another's commit under way. If it has not begun, the gate commits the change
        // itself and blocks on the same held lock, so what is asserted holds either way.
        try await Task.sleep(for: .milliseconds(100))
        let opened = Mutex(false)
        let waiting = Task.detached {
            let answer = await gate.mayStart()
            opened.withLock { $0 = true }
            return answer
        }
        // Asserting that the gate did NOT open: an open gate sets `opened` within microseconds of
        // `mayStart` returning, and the lock holder keeps the change blocked for up to 5 s, so
        // 100 ms is long enough for a gate that wrongly opens to be seen.
        try await Task.sleep(for: .milliseconds(100))
        #expect(!opened.withLock { $0 }, "the gate opened while its change was still being written")
        FileManager.default.createFile(atPath: release, contents: nil)
        #expect(await holder.exitCode() == 0)
        await writer.value
        #expect(await waiting.value)
        #expect(try fixture.status("a") == .ready)
    }

    @Test("changes from several threads commit in the order each handed them over", arguments: [1, 4])
    func orderAcrossThreads(producers: Int) async throws {
        let tasks = (0..<producers).map { "t\($0)" }
        let fixture = try Fixture(tasks: tasks)
        let recorder = fixture.recorder()
        // An attempt's end committed before its start would fail (no such attempt).
        await withTaskGroup(of: Void.self) { group in
            for task in tasks {
                group.addTask {
                    for number in 1...40 {
                        recorder.enqueue([fixture.started(task, number)])
                        recorder.commit()
                        recorder.enqueue([fixture.finished(task, number)], commitWithin: .milliseconds(1))
                    }
                }
            }
        }
        await recorder.idle()
        #expect(fixture.failures.withLock { $0 }.isEmpty)
        let detail = try #require(try fixture.store.run(fixture.run))
        #expect(detail.attempts.count == producers * 40)
        #expect(detail.attempts.allSatisfy { $0.outcome == .exited(code: 0) })
    }

    struct FailureCase: CustomTestStringConvertible, Sendable {
        let testDescription: String
        /// Whether the run loop commits the failing batch, rather than the gate that needs it.
        let loopCommits: Bool
    }

    @Test("a failed write reports once, shuts every gate and writes nothing after it", arguments: [
        FailureCase(testDescription: "written by the loop", loopCommits: true),
        FailureCase(testDescription: "written by the gate that needs it", loopCommits: false),
    ])
    func failureShutsTheGates(_ failure: FailureCase) async throws {
        let fixture = try Fixture(tasks: ["a", "b"])
        let recorder = fixture.recorder()
        recorder.enqueue([fixture.ready("a"), fixture.ready("no-such-task")])
        let gate = recorder.gate()
        if failure.loopCommits { recorder.commit() }

        #expect(await gate.mayStart() == false)
        #expect(recorder.hasFailed)
        let failures = fixture.failures.withLock { $0 }
        #expect(failures.count == 1)
        #expect(failures.first?.contains("no-such-task") == true, "the message names the change: \(failures)")
        // The whole batch was rolled back, and nothing is written any more.
        #expect(try fixture.status("a") == .waiting)
        recorder.enqueue([fixture.ready("b")])
        recorder.commit()
        await recorder.idle()
        #expect(try fixture.status("b") == .waiting)
        #expect(await recorder.gate().mayStart() == false)
        #expect(fixture.failures.withLock { $0 }.count == 1)
    }

    @Test("a change queued to ride along is committed on its own after its delay")
    func delayedCommit() async throws {
        let fixture = try Fixture(tasks: ["a"])
        let recorder = fixture.recorder()
        recorder.enqueue([fixture.ready("a")], commitWithin: .milliseconds(30))
        #expect(await eventually { try fixture.status("a") == .ready })
    }

    @Test("idle returns once everything queued is committed")
    func idleFlushes() async throws {
        let fixture = try Fixture(tasks: ["a", "b"])
        let recorder = fixture.recorder()
        recorder.enqueue([fixture.ready("a")])
        recorder.enqueue([fixture.ready("b")], commitWithin: .seconds(60))
        await recorder.idle()
        #expect(try fixture.status("a") == .ready)
        #expect(try fixture.status("b") == .ready)
    }
}
