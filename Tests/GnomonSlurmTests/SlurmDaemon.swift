import Foundation
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing

/// The real `gnomon daemon` binary over a ``SlurmCluster``, in a temporary home, with a
/// stand-in `sbatch` that can stop before submitting or after submitting (before answering), so
/// a test can SIGKILL the daemon in either window. Never leaves a daemon or a stand-in running.
final class SlurmDaemon: @unchecked Sendable {
    let cluster: SlurmCluster
    let folders: TemporaryHome
    /// The folder the settings file names as `slurm.bin`: the stand-in `sbatch` and links to
    /// Slurm's other commands.
    let bin: String
    private(set) var daemon: TestProcess?
    private var count = 0

    /// Where the stand-in `sbatch` stops, while its file exists in ``bin``.
    enum Hold: String {
        /// Before running the real `sbatch`: nothing is submitted.
        case beforeSubmitting = "hold-before"
        /// After the real `sbatch` returned the job id, before the daemon hears it.
        case afterSubmitting = "hold-after"
    }

    init(cluster: SlurmCluster) throws {
        self.cluster = cluster
        folders = try TemporaryHome()
        bin = folders.path("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for command in ["squeue", "sacct", "scancel", "scontrol", "sinfo"] {
            try FileManager.default.createSymbolicLink(atPath: "\(bin)/\(command)", withDestinationPath: "/usr/bin/\(command)")
        }
        // A hung sbatch, not a wait of the test: `exec sleep` stands for a command the SIGKILLed
        // daemon never hears back from; the test kills it by the pid it wrote.
        let script = """
            #!/bin/sh
            D=$(dirname "$0")
            if [ -e "$D/hold-before" ]; then echo $$ > "$D/held.pid"; touch "$D/reached"; exec sleep 600; fi
            if [ -e "$D/hold-after" ]; then
              /usr/bin/sbatch "$@" > "$D/submitted" || exit $?
              echo $$ > "$D/held.pid"; touch "$D/reached"; exec sleep 600
            fi
            exec /usr/bin/sbatch "$@"

            """
        FileManager.default.createFile(atPath: "\(bin)/sbatch", contents: Data(script.utf8), attributes: [.posixPermissions: 0o755])
        _ = try folders.write("slurm:\n  bin: \(bin)\n  poll_interval: 500ms\n  max_poll_interval: 2s\n", to: "gnomon.yaml")
    }

    deinit {
        if let daemon, daemon.isRunning {
            daemon.send(SIGKILL)
            for _ in 0..<1000 where daemon.isRunning { usleep(1000) }
        }
        releaseHeld()
    }

    func hold(_ hold: Hold) {
        FileManager.default.createFile(atPath: "\(bin)/\(hold.rawValue)", contents: nil)
    }

    /// Whether the stand-in `sbatch` has stopped where it was told to.
    var reachedHold: Bool { FileManager.default.fileExists(atPath: "\(bin)/reached") }

    /// Kills the stopped stand-in and lets later `sbatch` calls through.
    func releaseHeld() {
        if let text = try? String(contentsOfFile: "\(bin)/held.pid", encoding: .utf8),
           let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1 {
            kill(pid, SIGKILL)
        }
        for name in [Hold.beforeSubmitting.rawValue, Hold.afterSubmitting.rawValue, "held.pid", "reached"] {
            try? FileManager.default.removeItem(atPath: "\(bin)/\(name)")
        }
    }

    var log: String {
        (1...max(1, count)).compactMap { try? String(contentsOfFile: folders.path("daemon-\($0).log"), encoding: .utf8) }.joined()
    }

    func write(job name: String, _ yaml: String) throws {
        _ = try folders.writeJob(name, yaml)
    }

    /// Starts `gnomon daemon` with the cluster's `SLURM_CONF` and waits until its jobs are loaded.
    func start() async throws {
        count += 1
        let process = try TestProcess.start(
            [try GnomonBinary.require(), "daemon", "--jobs", folders.jobs, "--home", folders.home, "--kill-grace", "2s"],
            environment: cluster.environment, stderr: folders.path("daemon-\(count).log"))
        daemon = process
        let ready = await eventually(within: .seconds(10), every: .milliseconds(50)) { self.log.contains("jobs loaded") || !process.isRunning }
        try #require(ready && process.isRunning, "the daemon did not start:\n\(log)")
    }

    /// SIGKILLs the daemon and waits until it is gone.
    func sigkill() async {
        guard let daemon else { return }
        daemon.send(SIGKILL)
        _ = await daemon.status()
        self.daemon = nil
    }

    func stop() async {
        guard let daemon else { return }
        daemon.send(SIGTERM)
        _ = await daemon.status()
        self.daemon = nil
    }

    /// `gnomon trigger JOB`: the new run's id.
    func trigger(_ job: String) async throws -> Int64 {
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            [try GnomonBinary.require(), "trigger", job, "--jobs", folders.jobs, "--home", folders.home],
            environment: cluster.environment)
        return try #require(Int64(output.outputText.trimmingCharacters(in: .whitespacesAndNewlines)), "trigger: \(output.errorText)")
    }

    /// `gnomon show ID` (with `--json` when asked): what it printed.
    func show(_ id: Int64, json: Bool = false) async throws -> String {
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            [try GnomonBinary.require(), "show", String(id), "--home", folders.home] + (json ? ["--json"] : []),
            environment: cluster.environment)
        try #require(output.status == .exited(code: 0), "gnomon show \(id): \(output.errorText)")
        return output.outputText
    }

    func run(_ id: Int64) -> RunDetail? {
        (try? GnomonStore.open(home: folders.home).run(id)) ?? nil
    }
}
