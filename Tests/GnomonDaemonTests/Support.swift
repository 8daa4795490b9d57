import Foundation
import GnomonCore
import GnomonStore
import Testing

/// A jobs folder, a home and the real `gnomon` binary: starts daemons, runs CLI commands, reads
/// the database. Removes its folder when done and never leaves a daemon running.
final class DaemonHarness: @unchecked Sendable {
    let root: String
    let jobs: String
    let home: String
    private(set) var daemon: Process?
    private var daemonCount = 0

    init() throws {
        root = (NSTemporaryDirectory() as NSString).appendingPathComponent("gnomon-daemon-\(UUID().uuidString.prefix(8))")
        jobs = root + "/jobs"
        home = root + "/home"
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
    }

    deinit {
        if let daemon, daemon.isRunning {
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
        }
        // Tasks left by a SIGKILLed daemon: their groups were recorded, kill them.
        if let store = try? GnomonStore.open(home: home), let runs = try? store.unfinishedRuns() {
            for attempt in runs.flatMap(\.attempts) where attempt.outcome == nil {
                if let pgid = attempt.pgid, pgid > 1 { kill(-pgid, SIGKILL) }
            }
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The `gnomon` executable built beside the test bundle (`swift test` builds it first).
    static let binary: String = {
        let candidates = [
            ((CommandLine.arguments.first ?? "") as NSString).deletingLastPathComponent + "/gnomon",
            Bundle.main.bundlePath + "/gnomon",
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().path + "/.build/debug/gnomon",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }()

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
        FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["daemon", "--jobs", jobs, "--home", home, "--kill-grace", "2s"] + extra
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        daemon = process
        guard waitReady else { return }
        let ready = await waitUntil(timeout: 10) { self.log.contains("jobs loaded") || !process.isRunning }
        try #require(ready && process.isRunning, "the daemon did not start:\n\(log)")
    }

    /// Sends `signal` to the daemon and waits for it to exit; returns its exit status.
    @discardableResult
    func stopDaemon(signal: Int32 = SIGTERM, timeout: TimeInterval = 20) async -> Int32? {
        guard let daemon else { return nil }
        kill(daemon.processIdentifier, signal)
        let exited = await waitUntil(timeout: timeout) { !daemon.isRunning }
        self.daemon = nil
        guard exited else {
            kill(daemon.processIdentifier, SIGKILL)
            daemon.waitUntilExit()
            return nil
        }
        return daemon.terminationStatus
    }

    /// Runs a `gnomon` command against this harness's folders.
    ///
    /// Waits without blocking a thread: the test runner's cooperative pool has one thread per
    /// core, and a blocking wait there stalls every other suite running beside this one.
    func cli(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        let id = UUID().uuidString.prefix(8)
        let outPath = "\(root)/cli-\(id).out", errPath = "\(root)/cli-\(id).err"
        let process = try launch(arguments + ["--jobs", jobs, "--home", home], stdout: outPath, stderr: errPath)
        await exited(process)
        let out = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return (process.terminationStatus, out, err)
    }

    /// Starts `gnomon` with `arguments`, its output going to the given files (or nowhere).
    func launch(_ arguments: [String], stdout: String? = nil, stderr: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        for (path, set) in [(stdout, { process.standardOutput = $0 }), (stderr, { process.standardError = $0 })] as
            [(String?, (FileHandle) -> Void)] {
            if let path {
                FileManager.default.createFile(atPath: path, contents: nil)
                set(FileHandle(forWritingAtPath: path)!)
            } else {
                set(FileHandle.nullDevice)
            }
        }
        try process.run()
        return process
    }

    /// Waits for `process` to exit, polling so no thread blocks.
    func exited(_ process: Process) async {
        while process.isRunning { try? await Task.sleep(for: .milliseconds(5)) }
    }

    private var openedStore: GnomonStore?

    /// The daemon's database, opened by this process (WAL: reads never block the daemon).
    func store() throws -> GnomonStore {
        if let openedStore { return openedStore }
        let store = try GnomonStore.open(home: home)
        openedStore = store
        return store
    }

    /// Every run of a job, oldest first, in full.
    func runs(of job: String? = nil) throws -> [RunDetail] {
        let store = try store()
        return try store.runs(RunQuery(job: job, limit: 100_000)).reversed().compactMap { try store.run($0.id) }
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
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? condition()) == true { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return (try? condition()) == true
    }
}

/// Whether any process of group `pgid` is alive and not a zombie.
func groupIsRunning(_ pgid: Int32) -> Bool {
    guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return kill(-pgid, 0) == 0 }
    for entry in entries {
        guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { continue }
        let fields = stat[stat.index(after: close)...].split(separator: " ", maxSplits: 4)
        if fields.count > 2, Int32(fields[2]) == pgid, fields[0] != "Z" { return true }
    }
    return false
}
