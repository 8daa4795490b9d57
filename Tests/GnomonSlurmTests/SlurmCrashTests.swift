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
        case beforeSubmitting, betweenSubmittingAndRecording, whileRunning, afterTheJobEnded
        /// The job pends on a drained node.
        case whilePending
        /// The job pends behind a job of the test's that fills the node (reason Resources).
        case whilePendingBehindAnotherJob
        /// The job, pending behind such a job, is held (`scontrol hold`): the restarted daemon
        /// sees it held and waits; the test releases it.
        case whilePendingHeld
        /// The job pends on a drained node and the daemon dies before recording its id: found by
        /// its token (squeue's comment) while it pends.
        case whilePendingUnrecorded
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
        Case(name: "while the job pends behind a job that fills the node: re-attached by its id",
             window: .whilePendingBehindAnotherJob, outcomes: [.exited(code: 0)]),
        Case(name: "while the job is held: the restarted daemon waits for the release, then records the outcome",
             window: .whilePendingHeld, outcomes: [.exited(code: 0)]),
        Case(name: "while the job pends, its id not yet recorded: found by its token while pending, never submitted again",
             window: .whilePendingUnrecorded, outcomes: [.exited(code: 0)]),
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
            var blocker: String?
            switch c.window {
            case .beforeSubmitting: gnomon.hold(.beforeSubmitting)
            case .betweenSubmittingAndRecording: gnomon.hold(.afterSubmitting)
            case .whilePending: try await cluster.run(["scontrol", "update", "nodename=\(node)", "state=drain", "reason=gnomon-test"])
            case .whilePendingUnrecorded:
                try await cluster.run(["scontrol", "update", "nodename=\(node)", "state=drain", "reason=gnomon-test"])
                gnomon.hold(.afterSubmitting)
            case .whilePendingBehindAnotherJob, .whilePendingHeld:
                // Every CPU of the node, running before Gnomon submits: Gnomon's job pends behind it.
                let job = try await cluster.run([
                    "sbatch", "--parsable", "--exclusive", "--job-name=blocker", "--output=/dev/null", "--wrap=sleep 600",
                ])
                blocker = job
                #expect(await Self.eventuallyAsync { await cluster.state(of: job) == "RUNNING" })
            case .whileRunning, .afterTheJobEnded: break
            }
            try await gnomon.start()
            let id = try await gnomon.trigger("crash")
            let recordedJob = { gnomon.run(id)?.attempts.first?.slurm?.id }
            switch c.window {
            case .beforeSubmitting, .betweenSubmittingAndRecording:
                #expect(await eventually(within: TestTiming.patience, every: .milliseconds(50)) { gnomon.reachedHold }, "\(gnomon.log)")
            case .whilePending, .whilePendingBehindAnotherJob, .whilePendingHeld:
                #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) { recordedJob() != nil })
                #expect(await cluster.state(of: recordedJob() ?? "") == "PENDING")
                if c.window == .whilePendingHeld, let job = recordedJob() {
                    try await cluster.run(["scontrol", "hold", job])
                }
                #expect(!FileManager.default.fileExists(atPath: count), "a node with no free CPU ran the job")
            case .whilePendingUnrecorded:
                #expect(await eventually(within: TestTiming.patience, every: .milliseconds(50)) { gnomon.reachedHold }, "\(gnomon.log)")
                let pending = try await cluster.run(["squeue", "-h", "-t", "all", "-o", "%j|%T"]).split(separator: "\n")
                #expect(pending.filter { $0.hasPrefix("gnomon.work.") } .map { $0.split(separator: "|").last } == ["PENDING"], "\(pending)")
                #expect(recordedJob() == nil, "the job id was recorded before the daemon died")
            case .whileRunning, .afterTheJobEnded:
                #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) {
                    recordedJob() != nil && FileManager.default.fileExists(atPath: count)
                })
            }
            await gnomon.sigkill()
            gnomon.releaseHeld()
            FileManager.default.createFile(atPath: marker, contents: nil)
            if let blocker { try await cluster.run(["scancel", blocker]) }
            switch c.window {
            case .whilePending, .whilePendingUnrecorded:
                try await cluster.run(["scontrol", "update", "nodename=\(node)", "state=resume"])
            case .afterTheJobEnded:
                let job = try #require(recordedJob())
                #expect(await Self.eventuallyAsync { await cluster.state(of: job) == "FAILED" })
            default: break
            }
            try await gnomon.start()
            if c.window == .whilePendingHeld, let job = recordedJob() {
                // The restarted daemon has re-attached and seen the job held (the tracker logs
                // each state it sees): the attempt is still running, nothing concluded or retried.
                let log = gnomon.run(id)?.attempts.first?.logPath ?? ""
                #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) {
                    let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                    guard let attached = text.range(of: "re-attached to Slurm job \(job)") else { return false }
                    // JobHeldAdmin: the tests run as root, whose holds are an administrator's.
                    return text[attached.upperBound...].contains("Slurm job \(job): PENDING (JobHeld")
                }, "\((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
                #expect(gnomon.run(id)?.attempts.map(\.outcome) == [nil])
                #expect(await cluster.state(of: job) == "PENDING")
                try await cluster.run(["scontrol", "release", job])
            }
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
