import Foundation
import GnomonExecution
import GnomonTesting
import Glibc
import Testing

/// The built `gnomon` executable, run as a separate process against a temporary home.
///
/// Children are spawned through `ProcessSpawner.shared`, never `Foundation.Process`, like every
/// child of the test process (see `TestProcess`).
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
        let process: TestProcess
        let stdoutPath: String
        let stderrPath: String

        var pid: Int32 { process.pid }

        /// Waits for the exit and returns the result.
        func finish() async -> Result {
            let code = await process.exitCode()
            let read = { (path: String) in
                (FileManager.default.contents(atPath: path)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            }
            return Result(status: code, stdout: read(stdoutPath), stderr: read(stderrPath))
        }
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
        let argv = [try GnomonBinary.require()] + self.arguments(arguments, global: global)
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            argv, environment: environment, workingDirectory: home.root, killGrace: .seconds(2))
        return Result(status: output.status.shellCode, stdout: output.outputText, stderr: output.errorText)
    }

    /// Starts `gnomon ARGUMENTS` and returns at once; `name` names its output files.
    func start(_ arguments: [String], name: String, environment: [String: String] = CLI.environment) throws -> Running {
        let out = home.path("\(name).stdout"), err = home.path("\(name).stderr")
        let process = try TestProcess.start(
            [try GnomonBinary.require()] + self.arguments(arguments, global: true), environment: environment,
            workingDirectory: home.root, stdout: out, stderr: err)
        return Running(process: process, stdoutPath: out, stderrPath: err)
    }
}

/// The keys of a JSON object, sorted; empty for anything else.
func keys(_ value: Any?) -> [String] {
    (value as? [String: Any]).map { $0.keys.sorted() } ?? []
}
