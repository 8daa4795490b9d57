import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing

/// Slurm tasks against a real single-node cluster, one per test (started in about 3 s), stopped
/// by pid at the end. The node has this machine's CPUs (2 here).
@Suite("Slurm executor on a real cluster", .serialized, .needsSlurm)
struct SlurmExecutorTests {
    /// One attempt of `program` on `cluster`, its log in `scratch`.
    static func launch(
        _ program: SlurmSpec.Program, options: SlurmOptions = SlurmOptions(), scratch: Scratch,
        timeout: Duration? = nil, attempt: Int = 1
    ) -> AttemptLaunch {
        AttemptLaunch(
            identity: AttemptIdentity(job: "j", run: 1, task: "t", attempt: attempt),
            action: .slurm(SlurmSpec(program: program, options: options)),
            environment: ["PATH": "/usr/local/bin:/usr/bin:/bin", "GREETING": "hello from the node"],
            workingDirectory: scratch.path, logPath: scratch.file("logs/t.\(attempt).log"),
            timeout: timeout, killGrace: .seconds(2))
    }

    static func log(_ launch: AttemptLaunch) -> String {
        (try? String(contentsOfFile: launch.logPath, encoding: .utf8)) ?? ""
    }

    /// The Slurm job id the attempt's log names.
    static func jobID(_ launch: AttemptLaunch) -> String? {
        guard let line = log(launch).split(separator: "\n").first(where: { $0.contains("submitted as Slurm job") }) else { return nil }
        return line.split(separator: " ").dropFirst(5).first.map(String.init)
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let program: SlurmSpec.Program
        var options = SlurmOptions()
        let expected: AttemptOutcome
        var logContains: [String] = []
        var testDescription: String { name }
    }

    static let endings: [Case] = [
        Case(name: "success: the task's output and environment reach the log", program: .shell("echo \"$GREETING\"; pwd"),
             expected: .exited(code: 0), logContains: ["hello from the node", "submitted as Slurm job", "COMPLETED"]),
        Case(name: "exit 3 is exit 3, from the wrapper's file", program: .command(["/bin/sh", "-c", "exit 3"]),
             expected: .exited(code: 3), logContains: ["FAILED"]),
        Case(name: "a task that kills itself with SEGV is signal 11", program: .shell("kill -SEGV $$"),
             expected: .signalled(signal: 11)),
        Case(name: "more memory than asked for is out of memory (cgroup v1)",
             program: .shell("head -c 400m /dev/zero | tail > /dev/null"), options: SlurmOptions(memory: "64M"),
             expected: .outOfMemory, logContains: ["OUT_OF_MEMORY"]),
    ]

    @Test("a job's end is mapped to its outcome", arguments: endings)
    func ending(_ c: Case) async throws {
        try await SlurmCluster.with { cluster in
            let scratch = Scratch()
            let executor = SlurmExecutor(configuration: cluster.configuration())
            let launch = Self.launch(c.program, options: c.options, scratch: scratch)
            let outcome = await executor.run(launch) { _ in }
            #expect(outcome == c.expected, "log: \(Self.log(launch))")
            for text in c.logContains { #expect(Self.log(launch).contains(text), "log: \(Self.log(launch))") }
        }
    }

    @Test("Gnomon's timeout scancels the running job: timed out within its grace")
    func timeout() async throws {
        try await SlurmCluster.with { cluster in
            let scratch = Scratch()
            let executor = SlurmExecutor(configuration: cluster.configuration())
            let launch = Self.launch(.shell("sleep \(TestTiming.longSleep)"), scratch: scratch, timeout: .seconds(3))
            let clock = ContinuousClock()
            let began = clock.now
            let outcome = await executor.run(launch) { _ in }
            let took = (clock.now - began).seconds
            #expect(outcome == .timedOut)
            // 3 s of timeout, up to 3 s from submission to running, the TERM, the end seen by the
            // next poll (2 s at most): far below the task's 300 s sleep.
            #expect(took < 12, "took \(took) s")
            // Ended by the TERM sent to its processes (FAILED) or by the scancel after the grace.
            let id = try #require(Self.jobID(launch))
            #expect(Self.ended(await cluster.state(of: id)))
        }
    }

    static func ended(_ state: String) -> Bool {
        ["CANCELLED", "FAILED", "COMPLETED"].contains { state.hasPrefix($0) }
    }

    enum Phase: String, CaseIterable, Sendable { case pending, running }

    @Test("a kill scancels the job, pending or running, and the attempt is cancelled", arguments: Phase.allCases)
    func kill(_ phase: Phase) async throws {
        try await SlurmCluster.with { cluster in
            let scratch = Scratch()
            let executor = SlurmExecutor(configuration: cluster.configuration())
            // A job that may begin only in an hour pends (reason BeginTime) all through the test.
            let options = phase == .pending ? SlurmOptions(extra: ["--begin=now+1hour"]) : SlurmOptions()
            let launch = Self.launch(.shell("echo started; sleep \(TestTiming.longSleep)"), options: options, scratch: scratch)
            let attempt = Task { await executor.run(launch) { _ in } }
            let expected = phase == .pending ? "PENDING" : "RUNNING"
            #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) {
                Self.log(launch).contains("): \(expected)") || Self.log(launch).contains(": \(expected)")
            }, "log: \(Self.log(launch))")
            attempt.cancel()
            #expect(await attempt.value == .cancelled)
            let id = try #require(Self.jobID(launch))
            let state = await cluster.state(of: id)
            #expect(phase == .pending ? state.hasPrefix("CANCELLED") : Self.ended(state), "state: \(state)")
        }
    }

    @Test("slurmctld stopped and started again mid-job: unknown meanwhile, then the true outcome")
    func controllerRestart() async throws {
        try await SlurmCluster.with { cluster in
            let scratch = Scratch()
            let executor = SlurmExecutor(configuration: cluster.configuration())
            let gate = scratch.file("go")
            let launch = Self.launch(.shell("while [ ! -e '\(gate)' ]; do sleep 0.2; done; exit 4"), scratch: scratch)
            let attempt = Task { await executor.run(launch) { _ in } }
            #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) { Self.log(launch).contains("RUNNING") })
            await cluster.stopDaemon("slurmctld")
            #expect(await eventually(within: .seconds(60), every: .milliseconds(200)) { Self.log(launch).contains("slurmctld is not answering") },
                    "log: \(Self.log(launch))")
            FileManager.default.createFile(atPath: gate, contents: nil)
            try await cluster.startDaemons()
            #expect(await attempt.value == .exited(code: 4), "log: \(Self.log(launch))")
            #expect(Self.log(launch).contains("slurmctld answers again"))
        }
    }

    @Test("a job id reused by another job is never taken for ours: its token differs, the attempt is lost, the job untouched")
    func reusedID() async throws {
        try await SlurmCluster.with { cluster in
            let scratch = Scratch()
            let executor = SlurmExecutor(configuration: cluster.configuration())
            let foreign = try await cluster.run([
                "sbatch", "--parsable", "--job-name=someone.else", "--comment=not-gnomon", "--output=/dev/null",
                "--wrap=sleep \(TestTiming.longSleep)",
            ]).trimmingCharacters(in: .whitespacesAndNewlines)
            let logPath = scratch.file("logs/t.1.log")
            _ = try? FileManager.default.createDirectory(atPath: scratch.file("logs"), withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: logPath, contents: nil)
            // As if a controller crash had given our recorded id to someone else's job.
            let outcome = await executor.reattach(.slurm(foreign), logPath: logPath)
            #expect(outcome == .lost)
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            #expect(log.contains("neither squeue nor sacct shows it with this attempt's token"), "log: \(log)")
            let state = await cluster.state(of: foreign)
            #expect(state == "RUNNING" || state == "PENDING", "the foreign job was touched: \(state)")
        }
    }

    @Test("an unrecorded attempt with no job carrying its token was never submitted: nothing to re-attach to")
    func neverSubmitted() async throws {
        try await SlurmCluster.with { cluster in
            let scratch = Scratch()
            let executor = SlurmExecutor(configuration: cluster.configuration())
            let logPath = scratch.file("logs/t.1.log")
            _ = try? FileManager.default.createDirectory(atPath: scratch.file("logs"), withIntermediateDirectories: true)
            FileManager.default.createFile(atPath: logPath, contents: Data("gnomon: submitting to Slurm with token gnomon:\(logPath)\n".utf8))
            #expect(executor.unrecordedReference(logPath: logPath) == .slurm(""))
            #expect(await executor.reattach(.slurm(""), logPath: logPath) == nil)
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            #expect(log.contains("no Slurm job carries this attempt's token: it was never submitted"), "log: \(log)")
        }
    }
}
