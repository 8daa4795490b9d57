import Foundation
import GnomonExecution
import GnomonTesting

/// Runs the `sqlite3` command-line shell (another process, as the CLI or a user's script would be).
///
/// Through `ProcessSpawner.shared`, like every child of the test process (see `TestProcess`).
enum SQLiteShell {
    /// The environment of the shells: only a PATH.
    static let environment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]

    /// Runs `sql` against `database` with a 10 s busy timeout; returns stdout, throws on failure.
    @discardableResult
    static func run(_ database: String, _ sql: String) async throws -> String {
        let output = try await ProcessSpawner.shared.runCapturingOutput(
            ["/usr/bin/sqlite3", "-bail", "-cmd", ".timeout 10000", database, sql], environment: environment)
        guard output.status == .exited(code: 0) else {
            throw ShellFailure(message: "sqlite3 ended with \(output.status): \(output.errorText)")
        }
        return output.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Starts `/bin/sh -c script` in a process group of its own, stdout and stderr sent to files.
    static func start(_ script: String, stdout: String, stderr: String) throws -> TestProcess {
        try TestProcess.start(["/bin/sh", "-c", script], environment: environment, stdout: stdout, stderr: stderr)
    }

    struct ShellFailure: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
