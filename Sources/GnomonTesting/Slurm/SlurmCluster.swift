import Foundation
import GnomonExecution
import Glibc
import Synchronization
import Testing

/// A real single-node Slurm cluster (munged, slurmctld, slurmd) whose every file lives in a
/// temporary folder, on free ports, with this machine's CPUs and memory; started by the tests
/// and stopped by pid. The configuration is `slurm-cluster.sh` beside this file (FACTS.md has why).
public final class SlurmCluster: Sendable {
    public let root: String
    public let controllerPort: Int
    public let nodePort: Int

    /// Every Slurm command of this cluster needs this environment (its `SLURM_CONF`).
    public var environment: [String: String] {
        var environment = HostEnvironment.current
        environment["SLURM_CONF"] = root + "/etc/slurm.conf"
        return environment
    }

    /// How Gnomon reaches this cluster, polling every `poll`.
    public func configuration(poll: Duration = .milliseconds(500), maximum: Duration = .seconds(2)) -> SlurmConfiguration {
        SlurmConfiguration(environment: environment, pollInterval: poll, maximumPollInterval: maximum)
    }

    private init(root: String, controllerPort: Int, nodePort: Int) {
        self.root = root
        self.controllerPort = controllerPort
        self.nodePort = nodePort
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("slurm-cluster.sh").path

    /// Starts a fresh cluster and waits until its node is idle.
    public static func start() async throws -> SlurmCluster {
        // A node that never registers (seen once on a loaded machine) gets one fresh cluster more;
        // the failed one is stopped either way, so no controller outlives its test.
        do {
            return try await startOnce()
        } catch {
            return try await startOnce()
        }
    }

    private static func startOnce() async throws -> SlurmCluster {
        let scratch = Scratch()
        let cluster = SlurmCluster(root: scratch.path, controllerPort: freePort(), nodePort: freePort())
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            ["/bin/sh", script, cluster.root, "\(cluster.controllerPort)", "\(cluster.nodePort)", "start"],
            environment: HostEnvironment.current)
        guard output.status == .exited(code: 0) else {
            await cluster.stop()
            throw TestSetupError("the Slurm cluster in \(cluster.root) did not start (\(output.status)): \(output.errorText)")
        }
        do {
            try await cluster.waitUntilIdle()
        } catch {
            await cluster.stop()
            throw error
        }
        return cluster
    }

    /// Starts a fresh cluster, runs `body` with it and stops the cluster whichever way `body`
    /// ends (an expectation that throws included).
    public static func with<T>(_ body: (SlurmCluster) async throws -> T) async throws -> T {
        let cluster = try await start()
        do {
            let result = try await body(cluster)
            await cluster.stop()
            return result
        } catch {
            await cluster.stop()
            throw error
        }
    }

    /// Waits until `sinfo` says the node is idle (and slurmd has registered).
    public func waitUntilIdle() async throws {
        var last = ""
        let idle = await eventually(within: .seconds(60), every: .milliseconds(200)) {
            last = (try? sync(["sinfo", "-h", "-o", "%t"])) ?? ""
            return last == "idle"
        }
        guard idle else { throw TestSetupError("the Slurm node in \(root) is not idle after 60 s (sinfo: \(last))") }
    }

    /// Runs one of Slurm's commands against this cluster; its standard output, trimmed.
    @discardableResult
    public func run(_ arguments: [String]) async throws -> String {
        let output = try await ProcessSpawner.shared.runCapturingOutput(arguments, environment: environment)
        guard output.status == .exited(code: 0) else {
            throw TestSetupError("\(arguments.joined(separator: " ")) failed (\(output.status)): \(output.errorText)")
        }
        return output.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A blocking run, for `eventually`'s synchronous conditions.
    private func sync(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The state of job `id` as `squeue` shows it (empty once it no longer does).
    public func state(of id: String) async -> String {
        (try? await run(["squeue", "-h", "-t", "all", "-j", id, "-o", "%T"])) ?? ""
    }

    /// The pid a daemon wrote to `run/NAME.pid`.
    public func pid(of daemon: String) -> pid_t? {
        (try? String(contentsOfFile: "\(root)/run/\(daemon).pid", encoding: .utf8))
            .flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Stops one daemon by its pid: SIGTERM, up to 20 s, then SIGKILL.
    public func stopDaemon(_ name: String) async {
        guard let pid = pid(of: name), pid > 1 else { return }
        kill(pid, SIGTERM)
        if !(await eventually(within: .seconds(20), every: .milliseconds(50)) { kill(pid, 0) != 0 }) {
            kill(pid, SIGKILL)
            _ = await eventually(within: .seconds(5), every: .milliseconds(50)) { kill(pid, 0) != 0 }
        }
    }

    /// Starts slurmctld and slurmd again over this cluster's state.
    public func startDaemons() async throws {
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            ["/bin/sh", Self.script, root, "\(controllerPort)", "\(nodePort)", "daemons"], environment: HostEnvironment.current)
        guard output.status == .exited(code: 0) else {
            throw TestSetupError("slurmctld and slurmd did not start again in \(root): \(output.errorText)")
        }
    }

    /// Cancels every job, stops slurmd, slurmctld and munged by pid, and removes the folder.
    public func stop() async {
        _ = try? await run(["scancel", "--user=\(getuid())"])
        for daemon in ["slurmd", "slurmctld", "munged"] { await stopDaemon(daemon) }
        _ = try? FileManager.default.removeItem(atPath: root)
    }

    /// Whether Slurm and munge are installed (nil) or what is missing.
    static let availability: String? = {
        for program in ["/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch"]
        where access(program, X_OK) != 0 {
            return "\(program) is missing (Debian: slurm-wlm and munge; scripts/setup installs them)"
        }
        return nil
    }()

    private static let skipAnnounced = Atomic<Bool>(false)

    static func enabled() -> Bool {
        if Podman.inCI { return true }
        guard let problem = availability else { return true }
        if !skipAnnounced.exchange(true, ordering: .relaxed) {
            let warning = "\n*** SKIPPING the Slurm tests: \(problem). In CI (CI=true) they fail instead. ***\n"
            _ = Array(warning.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        }
        return false
    }

    /// A free TCP port on this machine (bound once to port 0, then released).
    static func freePort() -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = INADDR_ANY
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when Slurm and munge are installed, and always in CI.
    public static var needsSlurm: Self {
        .enabled("needs slurm-wlm and munge (scripts/setup); forced on in CI") { SlurmCluster.enabled() }
    }
}
