import Foundation
import GnomonCore
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing

/// A jobs folder, a home and the real `gnomon` binary: starts daemons, runs CLI commands, reads
/// the database. Removes its folder when done and never leaves a daemon running.
///
/// Every process is started through `ProcessSpawner.shared` (``TestProcess``), never Foundation's
/// `Process`, like every child of the test process.
/// Daemons and commands get this test process's environment, as a shell would give them.
final class DaemonHarness: DaemonHistory, @unchecked Sendable {
    /// `root`, with `root/jobs` and `root/home`; removed after this harness's own clean-up.
    private let folders: TemporaryHome
    var root: String { folders.root }
    var jobs: String { folders.jobs }
    var home: String { folders.home }
    private(set) var daemon: TestProcess?
    private var daemonCount = 0

    init() throws {
        folders = try TemporaryHome()
    }

    deinit {
        if let daemon, daemon.isRunning {
            daemon.send(SIGKILL)
            // deinit cannot await the exit: give the kill a moment (the loop reaps it).
            for _ in 0..<1000 where daemon.isRunning { usleep(1000) }
        }
        // Tasks left by a SIGKILLed daemon: their groups were recorded, kill them.
        if let store = try? GnomonStore.open(home: home), let runs = try? store.unfinishedRuns() {
            for attempt in runs.flatMap(\.attempts) where attempt.outcome == nil {
                if let pgid = attempt.pgid, pgid > 1 { kill(-pgid, SIGKILL) }
            }
        }
    }

    /// The `gnomon` executable built beside the test bundle (`swift test` builds it first).
    static func binary() throws -> String { try GnomonBinary.require() }

    /// Writes `jobs/NAME.yaml` atomically (a reader never sees half a file).
    func write(job name: String, _ text: String) throws {
        let path = "\(jobs)/\(name).yaml"
        let temporary = "\(jobs)/.\(name).yaml.tmp"
        try text.write(toFile: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary, path) == 0 else { throw POSIXError(.EIO) }
    }

    func remove(job name: String) throws {
        try FileManager.default.removeItem(atPath: "\(jobs)/\(name).yaml")
    }

    var logPath: String { "\(root)/daemon-\(daemonCount).log" }

    /// Everything every daemon of this harness logged so far.
    var log: String {
        (1...max(1, daemonCount)).compactMap { try? String(contentsOfFile: "\(root)/daemon-\($0).log", encoding: .utf8) }
            .joined()
    }

    /// Starts `gnomon daemon` and (with `waitReady`) waits until it has loaded its jobs.
    func startDaemon(_ extra: [String] = [], waitReady: Bool = true) async throws {
        daemonCount += 1
        let process = try launch(
            ["daemon", "--jobs", jobs, "--home", home, "--kill-grace", "2s"] + extra, stderr: logPath)
        daemon = process
        guard waitReady else { return }
        // This daemon's own log: the earlier daemons' logs say "jobs loaded" already.
        let ownLog = logPath
        let ready = await waitUntil(timeout: 10) {
            ((try? String(contentsOfFile: ownLog, encoding: .utf8)) ?? "").contains("jobs loaded") || !process.isRunning
        }
        try #require(ready && process.isRunning, "the daemon did not start:\n\(log)")
    }

    /// Sends `signal` to the daemon and waits for it to exit; returns its exit code (128 + N
    /// for signal N), nil if it had to be SIGKILLed after `timeout` seconds.
    @discardableResult
    func stopDaemon(signal: Int32 = SIGTERM, timeout: TimeInterval = 20) async -> Int32? {
        guard let daemon else { return nil }
        daemon.send(signal)
        let exited = await waitUntil(timeout: timeout) { !daemon.isRunning }
        self.daemon = nil
        guard exited else {
            daemon.send(SIGKILL)
            _ = await daemon.status()
            return nil
        }
        return await daemon.exitCode()
    }

    /// Runs a `gnomon` command against this harness's folders.
    func cli(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            [try Self.binary()] + arguments + ["--jobs", jobs, "--home", home], environment: HostEnvironment.current)
        return (output.status.shellCode, output.outputText, output.errorText)
    }

    /// Starts `gnomon` with `arguments`, its output going to the given files (or nowhere).
    func launch(_ arguments: [String], stdout: String? = nil, stderr: String? = nil) throws -> TestProcess {
        try TestProcess.start(
            [try Self.binary()] + arguments, environment: HostEnvironment.current, stdout: stdout, stderr: stderr)
    }

    private var openedStore: GnomonStore?

    /// The daemon's database, opened by this process (WAL: reads never block the daemon).
    func store() throws -> GnomonStore {
        if let openedStore { return openedStore }
        let store = try GnomonStore.open(home: home)
        openedStore = store
        return store
    }

    /// Every tick of a job, oldest fire time first.
    func ticks(_ job: String) throws -> [Tick] {
        try store().ticks(job: job, limit: 100_000).reversed()
    }

    /// The text of an attempt's log.
    func output(_ attempt: AttemptRecord) -> String {
        (try? String(contentsOfFile: attempt.logPath, encoding: .utf8)) ?? ""
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` seconds pass.
    func waitUntil(timeout: TimeInterval, _ condition: () throws -> Bool) async -> Bool {
        await eventually(within: .milliseconds(Int(timeout * 1000)), every: .milliseconds(50), condition)
    }
}
