import GnomonCore
import Glibc
import Synchronization

/// Follows every active Slurm job of a Gnomon with one `squeue` per interval, whatever their number.
///
/// - One batched `squeue -t all -j ID,ID,...` asks about all of them; the interval starts at
///   the configuration's `pollInterval` and doubles while nothing changes, up to its maximum; a
///   new job, or a wrapper's exit file appearing, brings it back (exit files are checked on the
///   shared file system every 250 ms, which costs slurmctld nothing), never below
///   `pollInterval`: one `squeue` per interval at most, whatever the number of jobs.
/// - A job `squeue` shows with another comment is not ours (an id reused after a controller
///   crash). A job it no longer shows is looked up with `sacct` (by id, matched by job name);
///   one that neither knows after three looks is reported lost.
/// - A command that fails means Slurm's state is unknown, never that a job failed: each job's
///   log says so once, and the tracker keeps asking (``isReachable`` is false meanwhile).
final class SlurmTracker: Sendable {
    let cli: SlurmCLI

    /// One job being waited for.
    struct Watch {
        var token: String
        var jobName: String
        var logPath: String
        var last: SlurmJobReport?
        var misses = 0
        var toldUnreachable = false
        var sawExitFile = false
        var waiters: [CheckedContinuation<SlurmJobReport, Never>] = []
    }

    private struct State {
        var watches: [String: Watch] = [:]
        var polling = false
        var reachable = true
        var wake = false
    }

    private let state = Mutex(State())
    /// How many `squeue` calls were made: the benchmark's count of the tracker's own RPCs.
    let squeueCalls = Atomic<Int>(0)

    init(cli: SlurmCLI) {
        self.cli = cli
    }

    /// Whether the last command reached slurmctld.
    var isReachable: Bool { state.withLock { $0.reachable } }

    /// Waits for job `id` to finish and returns its final report; logs its state changes.
    func wait(job id: String, token: String, jobName: String, logPath: String) async -> SlurmJobReport {
        await withCheckedContinuation { continuation in
            let start = state.withLock { state -> Bool in
                if state.watches[id] == nil {
                    state.watches[id] = Watch(token: token, jobName: jobName, logPath: logPath)
                }
                state.watches[id]!.waiters.append(continuation)
                state.wake = true
                defer { state.polling = true }
                return !state.polling
            }
            if start { Task(executorPreference: ProcessLoop.shared) { await self.poll() } }
        }
    }

    /// Waits until slurmctld answers a cheap question again (at once if it did last time).
    func waitUntilReachable(logPath: String, unless stopping: () -> Bool) async {
        var told = false
        var delay = cli.configuration.pollInterval
        while !Task.isCancelled && !stopping() {
            if isReachable { return }
            switch await cli.run("squeue", ["-h", "-j", "0", "-o", "%i"]) {
            case .success(let output) where output.status == .exited(code: 0) || Self.isInvalidJob(output):
                state.withLock { $0.reachable = true }
                if told { AttemptLog.append("gnomon: slurmctld answers again; submitting\n", to: logPath) }
                return
            case .success(let output):
                if !told { AttemptLog.append("gnomon: waiting for slurmctld before submitting (\(SlurmCLI.message(of: output)))\n", to: logPath) }
            case .failure(let failure):
                if !told { AttemptLog.append("gnomon: waiting for slurmctld before submitting (\(failure.message))\n", to: logPath) }
            }
            told = true
            try? await Task.sleep(for: delay)
            delay = min(cli.configuration.maximumPollInterval, delay * 2)
        }
    }

    /// Marks slurmctld unreachable (a submission could not reach it).
    func markUnreachable() {
        state.withLock { $0.reachable = false }
    }

    private func poll() async {
        let base = cli.configuration.pollInterval
        var interval = base
        while true {
            let ids: [String] = state.withLock { state in
                state.wake = false
                if state.watches.isEmpty { state.polling = false }
                return Array(state.watches.keys)
            }
            if ids.isEmpty { return }
            let changed = await pollOnce(ids)
            interval = changed ? base : min(cli.configuration.maximumPollInterval, interval * 2)
            await sleep(interval, minimum: base)
        }
    }

    /// Sleeps up to `interval`, ending early when a job is added or a wrapper's exit file
    /// appears, but never before `minimum`: however many jobs come and go, slurmctld gets at most
    /// one `squeue` per `pollInterval` from this tracker.
    private func sleep(_ interval: Duration, minimum: Duration) async {
        let step = Duration.milliseconds(250)
        var slept = Duration.zero
        var woken = false
        while slept < interval {
            let nap = min(step, interval - slept)
            try? await Task.sleep(for: nap)
            slept += nap
            let wake = state.withLock { state -> Bool in
                var wake = state.wake
                for (id, watch) in state.watches where !watch.sawExitFile {
                    if access(SlurmSubmission.exitPath(logPath: watch.logPath), F_OK) == 0 {
                        state.watches[id]!.sawExitFile = true
                        wake = true
                    }
                }
                return wake
            }
            woken = woken || wake
            if woken && slept >= minimum { return }
        }
    }

    /// One `squeue` for `ids`; whether anything changed.
    private func pollOnce(_ ids: [String]) async -> Bool {
        squeueCalls.add(1, ordering: .relaxed)
        let result = await cli.run("squeue", ["-h", "-t", "all", "-j", ids.joined(separator: ","), "-o", "%i|%T|%N|%r|%k"])
        var listed: [String: (report: SlurmJobReport, comment: String)] = [:]
        switch result {
        case .success(let output) where output.status == .exited(code: 0):
            for line in output.outputText.split(separator: "\n") {
                let fields = line.split(separator: "|", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
                guard fields.count == 5 else { continue }
                listed[fields[0]] = (SlurmJobReport(id: fields[0], state: fields[1], node: fields[2], reason: fields[3]), fields[4])
            }
        case .success(let output) where Self.isInvalidJob(output):
            break  // none of them is known any more
        case .success(let output):
            unreachable(SlurmCLI.message(of: output))
            return false
        case .failure(let failure):
            unreachable(failure.message)
            return false
        }
        let wasUnreachable = state.withLock { state -> Bool in
            defer { state.reachable = true }
            return !state.reachable
        }
        var changed = false
        for id in ids {
            guard let watch = state.withLock({ $0.watches[id] }) else { continue }
            if wasUnreachable, watch.toldUnreachable {
                AttemptLog.append("gnomon: slurmctld answers again\n", to: watch.logPath)
                state.withLock { $0.watches[id]?.toldUnreachable = false }
            }
            if let (report, comment) = listed[id], comment == watch.token {
                if report != watch.last {
                    changed = true
                    update(id, report)
                }
                if report.isFinished { await finishWithExitCode(id, report) }
                continue
            }
            // Not shown (or shown with another comment: a reused id): ask the accounting.
            if let report = await accounted(id, jobName: watch.jobName), report.isFinished {
                changed = true
                update(id, report)
                finish(id, report)
                continue
            }
            let misses = state.withLock { state -> Int in
                state.watches[id]?.misses += 1
                return state.watches[id]?.misses ?? 0
            }
            if misses >= 3 {
                changed = true
                let report = SlurmJobReport(id: id, state: "UNKNOWN", node: watch.last?.node ?? "", reason: "None")
                AttemptLog.append("gnomon: Slurm no longer knows job \(id) (neither squeue nor sacct shows it with this attempt's token); the attempt is lost\n", to: watch.logPath)
                finish(id, report)
            }
        }
        return changed
    }

    /// A finished job's `code:signal` is read (from `scontrol`) only when the wrapper wrote no
    /// exit file and Slurm says it failed.
    private func finishWithExitCode(_ id: String, _ report: SlurmJobReport) async {
        var report = report
        guard let watch = state.withLock({ $0.watches[id] }) else { return }
        if SlurmSubmission.wrapperExit(logPath: watch.logPath) == nil, report.baseState == "FAILED" {
            if case .success(let output) = await cli.run("scontrol", ["-o", "show", "job", id]),
               let field = output.outputText.split(separator: " ").first(where: { $0.hasPrefix("ExitCode=") }) {
                report.exitCode = String(field.dropFirst("ExitCode=".count))
            }
        }
        finish(id, report)
    }

    /// The job as `sacct` (with `-c`, the job completion file, when there is no slurmdbd) knows
    /// it, if its name is this attempt's.
    private func accounted(_ id: String, jobName: String) async -> SlurmJobReport? {
        for extra in [[], ["-c"]] {
            let arguments = extra + ["-n", "-P", "-X", "-j", id, "-o", "JobID,JobName,State,ExitCode,NodeList"]
            guard case .success(let output) = await cli.run("sacct", arguments), output.status == .exited(code: 0) else { continue }
            for line in output.outputText.split(separator: "\n") {
                let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
                guard fields.count >= 5, fields[0] == id, fields[1] == jobName else { continue }
                return SlurmJobReport(id: id, state: fields[2], node: fields[4], reason: "None", exitCode: fields[3])
            }
        }
        return nil
    }

    private func update(_ id: String, _ report: SlurmJobReport) {
        guard let logPath = state.withLock({ state -> String? in
            state.watches[id]?.last = report
            state.watches[id]?.misses = 0
            return state.watches[id]?.logPath
        }) else { return }
        AttemptLog.append("gnomon: Slurm job \(id): \(report.summary)\n", to: logPath)
        SlurmStateFile.write(report, logPath: logPath)
    }

    private func finish(_ id: String, _ report: SlurmJobReport) {
        let waiters = state.withLock { state -> [CheckedContinuation<SlurmJobReport, Never>] in
            state.watches.removeValue(forKey: id)?.waiters ?? []
        }
        for waiter in waiters { waiter.resume(returning: report) }
    }

    private func unreachable(_ message: String) {
        let logs: [String] = state.withLock { state in
            state.reachable = false
            var logs: [String] = []
            for (id, watch) in state.watches where !watch.toldUnreachable {
                state.watches[id]!.toldUnreachable = true
                logs.append(watch.logPath)
            }
            return logs
        }
        for log in logs {
            AttemptLog.append("gnomon: slurmctld is not answering (\(message)); the job's state is unknown, Gnomon keeps asking and spends no retry\n", to: log)
        }
    }

    static func isInvalidJob(_ output: CapturedOutput) -> Bool {
        output.errorText.contains("Invalid job id")
    }
}
