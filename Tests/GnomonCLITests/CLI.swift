import Foundation
import GnomonExecution
import GnomonTesting
import Glibc
import Testing

/// The built `gnomon` executable, run as a separate process against a temporary home.
///
/// Children are spawned through `ProcessSpawner.shared`, never `Foundation.Process`: the
/// spawner's reaper calls `waitpid(-1)` and would collect Foundation's children too.
struct CLI {
    let home: TemporaryHome

    /// What one finished command printed and how it exited.
    struct Result: CustomStringConvertible {
        let status: Int32
        let stdout: String
        let stderr: String
        var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }

        /// Standard output parsed as JSON.
        func json() throws -> Any {
            try JSONSerialization.jsonObject(with: Data(stdout.utf8), options: [.fragmentsAllowed])
        }
    }

    /// A command started in the background, its output going to files.
    struct Running {
        let pid: Int32
        let stdoutPath: String
        let stderrPath: String

        /// Waits for the exit and returns the result.
        func finish() async -> Result {
            let status = await ProcessSpawner.shared.waitForExit(of: pid)
            let code: Int32
            switch status {
            case .exited(let value): code = value
            case .signalled(let signal): code = 128 + signal
            case .unknown: code = -1
            }
            let read = { (path: String) in
                (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            }
            return Result(status: code, stdout: read(stdoutPath), stderr: read(stderrPath))
        }
    }

    /// The `gnomon` binary beside the test bundle (`.build/<triple>/debug/gnomon`).
    static let executable: String? = {
        var candidates: [String] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.appendingPathComponent("gnomon").path)
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("gnomon").path)
        if let arg0 = CommandLine.arguments.first {
            let url = URL(fileURLWithPath: arg0).resolvingSymlinksInPath()
            candidates.append(url.deletingLastPathComponent().appendingPathComponent("gnomon").path)
            candidates.append(url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("gnomon").path)
        }
        // This file sits in Tests/GnomonCLITests of the package.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/gnomon").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    /// The binary, or a failure that says how to build it.
    static func binary() throws -> String {
        try #require(executable != nil, "the gnomon executable was not found next to the test bundle or in .build/debug; run `swift build` first")
        return executable!
    }

    /// Nothing from the test runner's environment: a PATH and what the test passes.
    static let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]

    /// `arguments` with `--jobs` and `--home` of this test's temporary home added after the
    /// subcommand (none for a bare `--version`).
    func arguments(_ arguments: [String], global: Bool) -> [String] {
        guard global, let first = arguments.first, !first.hasPrefix("-") else { return arguments }
        return [first, "--jobs", home.jobs, "--home", home.home] + arguments.dropFirst()
    }

    /// Runs `gnomon ARGUMENTS` to its end.
    func run(_ arguments: [String], global: Bool = true, environment: [String: String] = CLI.environment) async throws -> Result {
        let argv = [try Self.binary()] + self.arguments(arguments, global: global)
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            argv, environment: environment, workingDirectory: home.root, killGrace: .seconds(2))
        let code: Int32
        switch output.status {
        case .exited(let value): code = value
        case .signalled(let signal): code = 128 + signal
        case .unknown: code = -1
        }
        return Result(status: code, stdout: output.outputText, stderr: output.errorText)
    }

    /// Starts `gnomon ARGUMENTS` and returns at once; `name` names its output files.
    func start(_ arguments: [String], name: String, environment: [String: String] = CLI.environment) throws -> Running {
        let out = home.path("\(name).stdout"), err = home.path("\(name).stderr")
        let outFD = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        let errFD = open(err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        defer { close(outFD); close(errFD) }
        let binary = try Self.binary()
        let pid = try ProcessSpawner.shared.spawn(SpawnRequest(
            executable: binary, arguments: [binary] + self.arguments(arguments, global: true), environment: environment,
            workingDirectory: home.root, standardInput: .null,
            standardOutput: .descriptor(outFD), standardError: .descriptor(errFD), newSession: true))
        return Running(pid: pid, stdoutPath: out, stderrPath: err)
    }
}

/// The keys of a JSON object, sorted; empty for anything else.
func keys(_ value: Any?) -> [String] {
    (value as? [String: Any]).map { $0.keys.sorted() } ?? []
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
