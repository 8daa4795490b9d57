import Foundation
import Glibc
import GnomonExecution
import Synchronization
import Testing

/// The programs the real receivers need: Debian's python3 (with `python3-aiosmtpd`) and openssl,
/// which scripts/setup installs.
///
/// Locally, a machine without them skips the receiver tests with a loud message. In CI
/// (`CI=true`) the tests always run, so a missing tool fails them instead (as ``Podman`` does).
public enum ReceiverTools {
    /// Debian's interpreter, which sees Debian's python3-aiosmtpd; another python3 on PATH (a
    /// pyenv shim) may not.
    public static let python: String = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3"

    /// Whether python3, aiosmtpd and openssl are here (nil) or what is missing; computed once.
    static let availability = Task<String?, Never> {
        let checks: [(arguments: [String], missing: String)] = [
            ([python, "-c", "import http.server"], "python3 is missing (Debian: python3)"),
            ([python, "-c", "import aiosmtpd"], "aiosmtpd is missing (Debian: python3-aiosmtpd)"),
            (["openssl", "version"], "openssl is missing (Debian: openssl)"),
        ]
        var missing: [String] = []
        for check in checks {
            let output = try? await ProcessSpawner.shared.runCapturingOutput(check.arguments, environment: HostEnvironment.current)
            if output?.status != .exited(code: 0) { missing.append(check.missing) }
        }
        return missing.isEmpty ? nil : missing.joined(separator: "; ") + "; run scripts/setup"
    }

    private static let skipAnnounced = Atomic<Bool>(false)

    /// The trait condition: on in CI whatever happens, else only when the tools exist.
    static func enabled() async -> Bool {
        if Podman.inCI { return true }
        if let problem = await availability.value {
            guard !skipAnnounced.exchange(true, ordering: .relaxed) else { return false }
            let warning = "\n*** SKIPPING the receiver tests: \(problem). In CI (CI=true) they fail instead. ***\n"
            _ = Array(warning.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            return false
        }
        return true
    }

    /// Throws a failure that says what is missing.
    public static func require() async throws {
        if let problem = await availability.value {
            throw TestSetupError("the receiver tests need python3, aiosmtpd and openssl: \(problem)")
        }
    }

    /// Makes a self-signed certificate for `localhost` and `127.0.0.1` in `folder` with openssl;
    /// returns the paths of the certificate (PEM, also the CA file to trust) and its key.
    public static func selfSignedCertificate(in folder: String) async throws -> (certificate: String, key: String) {
        let certificate = folder + "/cert.pem", key = folder + "/key.pem"
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", certificate],
            environment: HostEnvironment.current)
        guard output.status == .exited(code: 0) else {
            throw TestSetupError("openssl req failed (\(output.status)): \(output.errorText)")
        }
        return (certificate, key)
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when python3, aiosmtpd and openssl exist, and always in CI.
    public static var needsReceivers: Self {
        .enabled("needs python3, python3-aiosmtpd and openssl (scripts/setup); forced on in CI") {
            await ReceiverTools.enabled()
        }
    }
}

/// A receiver process: a python3 script of this folder (kept out of the module in
/// Package.swift), started through the one spawner, which writes the port it listens on to the
/// file `port` of its folder once it does.
struct ReceiverProcess: Sendable {
    let process: TestProcess
    let port: Int

    /// The path of a script beside this source file.
    static func script(named name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name).path
    }

    static func start(script: String, in folder: String, arguments: [String]) async throws -> ReceiverProcess {
        let portFile = folder + "/port"
        let process = try TestProcess.start(
            [ReceiverTools.python, script] + arguments, environment: HostEnvironment.current,
            stdout: folder + "/stdout.log", stderr: folder + "/stderr.log")
        let listening = await eventually(within: .seconds(15)) {
            FileManager.default.fileExists(atPath: portFile) || !process.isRunning
        }
        guard listening, let text = try? String(contentsOfFile: portFile, encoding: .utf8), let port = Int(text) else {
            process.send(SIGKILL, group: true)
            _ = await process.status()
            let errors = (try? String(contentsOfFile: folder + "/stderr.log", encoding: .utf8)) ?? ""
            throw TestSetupError("the receiver in \(folder) did not start listening: \(errors)")
        }
        return ReceiverProcess(process: process, port: port)
    }

    /// Kills the receiver's process group and waits for its exit.
    func stop() async {
        process.send(SIGKILL, group: true)
        _ = await process.status()
    }

    /// The JSON records `prefix-NNNN.json` in `folder`, in the order they were written.
    static func records<Record: Decodable>(_ type: Record.Type, prefix: String, in folder: String) throws -> [Record] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix(prefix + "-") && $0.hasSuffix(".json") }
            .sorted()
        return try names.map { try JSONDecoder().decode(Record.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/" + $0))) }
    }
}
