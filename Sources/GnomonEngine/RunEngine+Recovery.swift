import Foundation
import GnomonCore
import GnomonExecution
import GnomonStore

/// What recovering one run left it as.
public enum RecoveryResult: Sendable {
    /// The run continues its graph under this engine; `lost` are the attempts recorded lost.
    case resume(PreparedRun, lost: [AttemptRecord])
    /// Someone asked for the run to stop while its runner was dead: it was recorded finished.
    case finished(RunStatus, lost: [AttemptRecord])
}

/// Crash recovery: runs whose runner died are taken over, their attempts resolved.
///
/// The sequence (see Docs/daemon.md): terminate each attempt's process group if any of it still
/// lives (`terminateOrphanGroups`), then `prepareRecovery` records every open attempt as `lost`
/// (a lost attempt never uses up a retry), puts unfinished tasks back to `waiting`, makes this
/// engine the run's runner, and returns a machine that continues the graph.
extension RunEngine {
    /// The attempts of a run still recorded as running.
    public static func openAttempts(of detail: RunDetail) -> [AttemptRecord] {
        detail.attempts.filter { $0.outcome == nil }
    }

    /// SIGTERM to every group with a live process, up to `grace` for them to end, then SIGKILL.
    ///
    /// Zombies do not count as live: the dead runner can no longer reap its children, and an init
    /// that does not reap orphans would otherwise keep a group "alive" for ever.
    public static func terminateOrphanGroups(_ groups: [Int32], grace: Duration) async {
        var live = ProcessGroups.live(among: Set(groups.filter { $0 > 1 }))
        guard !live.isEmpty else { return }
        for group in live { killProcessGroup(group, signal: SIGTERM) }
        let deadline = ContinuousClock.now + grace
        while !live.isEmpty, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
            live = ProcessGroups.live(among: live)
        }
        for group in live { killProcessGroup(group, signal: SIGKILL) }
    }

    /// Process groups still writing to a log of one of `runs`, found through `/proc`: the groups
    /// of attempts a dead runner spawned but did not live to record (each attempt's group leader
    /// has its log as standard output). Empty where `/proc` cannot be read.
    ///
    /// The logs of recorded container and Slurm attempts are left out: with podman the container's
    /// own processes write to the log, and a SIGTERM to them (or to the attached CLI, which passes
    /// it on) would kill the container that recovery is about to adopt; a Slurm job's processes
    /// write to theirs when its node is this machine.
    public func unrecordedGroups(ofRuns runs: [RunDetail]) -> [Int32] {
        var folders: [String: Int64] = [:]
        var adoptable: Set<String> = []
        for attempt in runs.flatMap(Self.openAttempts) where AttemptReference(recordedIn: attempt) != nil {
            adoptable.insert(attempt.logPath)
            adoptable.insert((attempt.logPath as NSString).resolvingSymlinksInPath)
        }
        for run in runs {
            let probe = settings.logPath(job: run.summary.job, run: run.id, task: "t", attempt: 1)
            let folder = (probe as NSString).deletingLastPathComponent
            folders[folder + "/"] = run.id
            folders[(folder as NSString).resolvingSymlinksInPath + "/"] = run.id
        }
        guard !folders.isEmpty, let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return [] }
        var groups: [Int32] = []
        for entry in entries {
            guard let pid = Int32(entry), pid > 1,
                  let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/1"),
                  target.hasSuffix(".log"), folders[(target as NSString).deletingLastPathComponent + "/"] != nil,
                  !adoptable.contains(target)
            else { continue }
            // Only group leaders: a task's children share its group and go with it.
            if getpgid(pid) == pid { groups.append(pid) }
        }
        return groups
    }

    /// Takes over `orphans`, runs whose runner died: terminates the process groups they left
    /// (recorded and unrecorded, containers and Slurm jobs excepted), then prepares each with
    /// `prepareRecovery`. The one sequence the daemon's start, its adoption of a backfill and a
    /// foreground backfill use; each result is in `orphans`' order.
    ///
    /// - Parameter seed: draws each run's retry jitter seed.
    public func takeOver(
        _ orphans: [RunDetail], grace: Duration, seed: () -> UInt64
    ) async -> [(detail: RunDetail, result: Result<RecoveryResult, any Error>)] {
        guard !orphans.isEmpty else { return [] }
        let recorded = orphans.flatMap(Self.openAttempts).compactMap { $0.containerName == nil && $0.slurm == nil ? $0.pgid : nil }
        let groups = Array(Set(recorded + unrecordedGroups(ofRuns: orphans)))
        await Self.terminateOrphanGroups(groups, grace: grace)
        var results: [(detail: RunDetail, result: Result<RecoveryResult, any Error>)] = []
        for detail in orphans {
            do {
                results.append((detail, .success(try await prepareRecovery(of: detail, seed: seed()))))
            } catch {
                results.append((detail, .failure(error)))
            }
        }
        return results
    }

    /// Records the open attempts of a run whose runner died as lost and takes the run over.
    ///
    /// Call after `terminateOrphanGroups` for the run's groups. A run whose cancellation was asked
    /// for is finished as cancelled instead of continued.
    ///
    /// Attempts whose executor can find them again (containers, by name) are not lost with their
    /// runner: when that executor is here they are re-attached to (the run waits for their true
    /// exit code); a run cancelled while its runner was dead has them removed.
    ///
    /// - Parameter seed: seeds the run's retry jitter; the daemon draws it from its random source.
    public func prepareRecovery(of detail: RunDetail, seed: UInt64) async throws -> RecoveryResult {
        let now = clock.now()
        let runID = detail.id
        let cancelled = detail.summary.cancelReason != nil
        var open: [AttemptRecord] = []
        var adoptions: [Adoption] = []
        var changes: [StoreChange] = []
        for attempt in Self.openAttempts(of: detail) {
            if let reference = AttemptReference(recordedIn: attempt), executor.canReattach(reference) {
                if cancelled {
                    await executor.discard(reference, logPath: attempt.logPath)
                } else {
                    adoptions.append(Adoption(task: attempt.task, attempt: attempt.number, reference: reference, logPath: attempt.logPath))
                    continue
                }
            }
            open.append(attempt)
            changes.append(.attemptFinished(run: runID, task: attempt.task, number: attempt.number, outcome: .lost, at: now))
        }
        let job = detail.snapshot
        let graph = try Self.graph(ofSnapshot: job, run: runID)
        let previous = Dictionary(uniqueKeysWithValues: detail.tasks.map { ($0.name, $0.status) })
        let instances = Self.instances(of: detail)
        let instanceNames = Set(detail.tasks.filter { $0.instanceOf != nil }.map(\.name))
        // An attempt whose log exists but whose start was not recorded may still have been
        // started where it outlives its runner (a Slurm job submitted just before the runner
        // died): it is recorded now and re-attached to, found by its token; never started again.
        let recorded = Dictionary(detail.attempts.map { ($0.task, $0.number) }, uniquingKeysWith: max)
        for (task, number) in unrecordedLogNumbers(detail).sorted(by: { $0.key < $1.key })
        where number > (recorded[task] ?? 0) && !(previous[task] ?? .waiting).isFinished
            && (graph.topologicalIndex[task] != nil || instanceNames.contains(task)) {
            let logPath = settings.logPath(job: detail.summary.job, run: runID, task: task, attempt: number)
            guard let reference = executor.unrecordedReference(logPath: logPath) else { continue }
            changes.append(.attemptStarted(
                run: runID, task: task, number: number, at: now, pid: nil, pgid: nil,
                containerName: reference.recordedContainerName, logPath: logPath, runnerInstance: settings.runnerInstance,
                slurmJob: reference.recordedSlurmJob))
            if cancelled {
                await executor.discard(reference, logPath: logPath)
                changes.append(.attemptFinished(run: runID, task: task, number: number, outcome: .lost, at: now))
            } else {
                changes.append(.taskStatus(run: runID, task: task, status: .running, reason: nil, retryAt: nil, at: now))
                adoptions.append(Adoption(task: task, attempt: number, reference: reference, logPath: logPath))
            }
        }
        let adopted = Dictionary(uniqueKeysWithValues: adoptions.map { ($0.task, $0.attempt) })
        // Instances of foreach tasks are continued with their tasks (recorded, so never made again).
        let unfinished = (graph.names + detail.tasks.compactMap { $0.instanceOf == nil ? nil : $0.name })
            .filter { !(previous[$0] ?? .waiting).isFinished && adopted[$0] == nil }

        if let reason = detail.summary.cancelReason {
            for task in unfinished {
                changes.append(.taskStatus(run: runID, task: task, status: .cancelled, reason: reason, retryAt: nil, at: now))
            }
            changes.append(.runStatus(run: runID, status: .cancelled, reason: reason, at: now))
            try store.record(changes)
            return .finished(.cancelled, lost: open)
        }

        // Attempt numbers continue after the highest recorded one, and after any log file of an
        // attempt that was started but not recorded before the runner died (logs are never reused).
        var attempts: [String: Int] = [:]
        var free: [String: Int] = [:]
        for adoption in adoptions { attempts[adoption.task] = adoption.attempt }
        for attempt in detail.attempts {
            attempts[attempt.task] = max(attempts[attempt.task] ?? 0, attempt.number)
            if attempt.outcome == nil, adopted[attempt.task] == attempt.number { continue }
            let outcome = attempt.outcome ?? .lost
            if outcome == .lost || outcome == .interrupted { free[attempt.task, default: 0] += 1 }
        }
        for (task, number) in unrecordedLogNumbers(detail) where number > (attempts[task] ?? 0) {
            free[task, default: 0] += number - (attempts[task] ?? 0)
            attempts[task] = number
        }
        // Tasks recorded waiting stay as they are: in a run of 100,000 most are, and rewriting
        // each would hold the first resumed task back by a second.
        for task in unfinished where previous[task] != .waiting {
            changes.append(.taskStatus(
                run: runID, task: task, status: .waiting, reason: "runner died; continued by recovery", retryAt: nil, at: now))
        }
        changes.append(.runRunner(run: runID, pid: settings.runnerPID, instance: settings.runnerInstance))
        try store.record(changes)
        let machine = RunMachine(
            job: job, graph: graph, previous: previous, attempts: attempts, reopen: [], freshBudget: false,
            freeAttempts: free, running: adopted, instances: instances, seed: seed)
        let prepared = PreparedRun(
            id: runID, job: job, scheduledAt: detail.summary.scheduledAt, params: detail.params, machine: machine,
            adoptions: adoptions)
        return .resume(prepared, lost: open)
    }

    /// The recorded items of each foreach task of a run that fanned out, by task, in item order.
    static func instances(of detail: RunDetail) -> [String: [String]] {
        var items: [String: [(index: Int, item: String)]] = [:]
        for task in detail.tasks {
            guard let of = task.instanceOf, let index = task.index, let item = task.item else { continue }
            items[of, default: []].append((index, item))
        }
        return items.mapValues { $0.sorted { $0.index < $1.index }.map(\.item) }
    }

    /// The highest attempt number with a log file, per task, for the run's log folder.
    private func unrecordedLogNumbers(_ detail: RunDetail) -> [String: Int] {
        let probe = settings.logPath(job: detail.summary.job, run: detail.id, task: "t", attempt: 1)
        let folder = (probe as NSString).deletingLastPathComponent
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [:] }
        var highest: [String: Int] = [:]
        for file in files where file.hasSuffix(".log") {
            let stem = file.dropLast(4)
            guard let dot = stem.lastIndex(of: "."), let number = Int(stem[stem.index(after: dot)...]) else { continue }
            let task = String(stem[..<dot])
            highest[task] = max(highest[task] ?? 0, number)
        }
        return highest
    }
}

/// Process-group checks that read `/proc`.
enum ProcessGroups {
    /// The groups among `groups` with a member that is not a zombie, with one pass over `/proc`.
    /// Falls back to `kill(-pgid, 0)` (which counts zombies) where `/proc` cannot be read.
    static func live(among groups: Set<Int32>) -> Set<Int32> {
        let signalled = groups.filter { isProcessGroupAlive($0) }
        guard !signalled.isEmpty,
              let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return signalled }
        var live: Set<Int32> = []
        for entry in entries {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
            else { continue }
            // The fields after the command (which may hold spaces and parentheses) start after the
            // last ")": state, ppid, pgrp, ...
            guard let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ", maxSplits: 4)
            guard fields.count > 2, let group = Int32(fields[2]), signalled.contains(group) else { continue }
            if fields[0] != "Z" && fields[0] != "X" { live.insert(group) }
        }
        return live
    }
}
