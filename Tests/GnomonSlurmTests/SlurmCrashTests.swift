import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// The real daemon SIGKILLed in each window of a Slurm attempt's life, then started again: the
/// job is found again by its token, its true outcome recorded once, and no attempt submitted twice.
@Suite("Slurm attempts survive a SIGKILLed daemon", .serialized, .needsSlurm)
struct SlurmCrashTests {
    /// Where the daemon dies.
    enum Window: String, Sendable {
        case beforeSubmitting, betweenSubmittingAndRecording, whilePending, whileRunning, afterTheJobEnded
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let window: Window
        /// The attempts recorded in the end: one never-submitted attempt is lost and retried free.
        let outcomes: [AttemptOutcome?]
        var testDescription: String { name }
    }

    static let windows: [Case] = [
        Case(name: "before sbatch: nothing was submitted; the attempt is lost and retried, one job in all",
             window: .beforeSubmitting, outcomes: [.lost, .exited(code: 0)]),
        Case(name: "between sbatch and recording the id: the job is found by its token, never submitted again",
             window: .betweenSubmittingAndRecording, outcomes: [.exited(code: 0)]),
        Case(name: "while the job pends: re-attached by its id", window: .whilePending, outcomes: [.exited(code: 0)]),
        Case(name: "while the job runs: re-attached by its id", window: .whileRunning, outcomes: [.exited(code: 0)]),
        Case(name: "after the job ended: its true outcome recorded once", window: .afterTheJobEnded, outcomes: [.exited(code: 0)]),
    ]

    @Test("the daemon SIGKILLed in one window of a Slurm attempt", arguments: windows)
    func sigkilled(_ c: Case) async throws {
        try await SlurmCluster.with { cluster in
            let gnomon = try SlurmDaemon(cluster: cluster)
            let marker = gnomon.folders.path("go"), count = gnomon.folders.path("ran")
            // Each run of the task adds a line to `ran`; it then waits for the test's `go`.
            try gnomon.write(job: "crash", """
                tasks:
                  work:
                    run: "echo ran >> \(count); while [ ! -e \(marker) ]; do sleep 0.1; done; exit 7"
                    retry: 0
                    slurm: { cpus: 1 }
                """)
            let node = try await cluster.run(["sinfo", "-h", "-o", "%n"])
            switch c.window {
            case .beforeSubmitting: gnomon.hold(.beforeSubmitting)
            case .betweenSubmittingAndRecording: gnomon.hold(.afterSubmitting)
            case .whilePending: try await cluster.run(["scontrol", "update", "nodename=\(node)", "state=drain", "reason=gnomon-test"])
            case .whileRunning, .afterTheJobEnded: break
            }
            try await gnomon.start()
            let id = try await gnomon.trigger("crash")
            let recordedJob = { gnomon.run(id)?.attempts.first?.slurm?.id }
            switch c.window {
            case .beforeSubmitting, .betweenSubmittingAndRecording:
                #expect(await eventually(within: TestTiming.patience, every: .milliseconds(50)) { gnomon.reachedHold }, "\(gnomon.log)")
            case .whilePending:
                #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) { recordedJob() != nil })
                #expect(await cluster.state(of: recordedJob() ?? "") == "PENDING")
                #expect(!FileManager.default.fileExists(atPath: count), "a drained node ran the job")
            case .whileRunning, .afterTheJobEnded:
                #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) {
                    recordedJob() != nil && FileManager.default.fileExists(atPath: count)
                })
            }
            await gnomon.sigkill()
            gnomon.releaseHeld()
            FileManager.default.createFile(atPath: marker, contents: nil)
            switch c.window {
            case .whilePending: try await cluster.run(["scontrol", "update", "nodename=\(node)", "state=resume"])
            case .afterTheJobEnded:
                let job = try #require(recordedJob())
                #expect(await Self.eventuallyAsync { await cluster.state(of: job) == "FAILED" })
            default: break
            }
            try await gnomon.start()
            #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) {
                gnomon.run(id)?.summary.status.isFinished == true
            }, "\(gnomon.log)")
            let run = try #require(gnomon.run(id))
            let attempts = run.attempts.sorted { $0.number < $1.number }
            // Exit 7: the wrapper's own exit code, not a guess (and not a retried attempt: retry 0).
            #expect(attempts.map(\.outcome) == c.outcomes.map { $0 == .exited(code: 0) ? .exited(code: 7) : $0 },
                    "\(attempts.map { gnomon.folders.read($0.logPath) ?? "" })")
            let ran = (gnomon.folders.read(count) ?? "").split(separator: "\n").count
            #expect(ran == 1, "the task ran \(ran) times")
            // squeue keeps finished jobs for MinJobAge (300 s): every job of this cluster is listed.
            let jobs = try await cluster.run(["squeue", "-h", "-t", "all", "-o", "%j"]).split(separator: "\n")
            #expect(jobs.filter { $0.hasPrefix("gnomon.work.") }.count == 1, "jobs: \(jobs)")
            await gnomon.stop()
        }
    }

    /// Polls an async `condition` every 100 ms until it holds or the patience runs out.
    static func eventuallyAsync(_ condition: () async -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + TestTiming.patience
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return await condition()
    }
}
