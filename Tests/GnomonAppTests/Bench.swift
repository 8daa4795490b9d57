import Foundation
import Glibc
import GnomonApp
import GnomonTesting

/// A temporary home with three job files, and the App's commands called in this process.
///
/// `ok` prints hello, `fails` exits 3, `bad` is invalid (a negative retry limit).
struct Bench {
    let home: TemporaryHome
    let settings: GlobalSettings

    init() throws {
        home = try TemporaryHome()
        try home.writeJob("ok", "tasks:\n  hello:\n    run: echo hello\n")
        try home.writeJob("fails", "tasks:\n  boom:\n    run: exit 3\n")
        try home.writeJob("bad", "tasks:\n  load:\n    run: echo hi\n    retry:\n      limit: -1\n")
        settings = GlobalSettings(jobs: home.jobs, home: home.home, environment: [:])
    }

    /// What a command printed and the exit status `gnomon` gives it.
    struct Outcome: CustomStringConvertible {
        let status: CommandExit
        let text: String
        var description: String { "exit \(status.rawValue) (\(status)): \(text)" }
    }

    /// Calls a command; an `AppError` becomes its status and message, as `gnomon` reports it.
    func outcome(_ body: () async throws -> (CommandExit, String)) async -> Outcome {
        do {
            let (status, text) = try await body()
            return Outcome(status: status, text: text)
        } catch let error as AppError {
            return Outcome(status: error.status, text: error.message)
        } catch {
            return Outcome(status: .failure, text: "not an AppError: \(error)")
        }
    }

    /// `gnomon run JOB`, its progress lines captured from a file.
    func run(_ job: String, tasks: [String] = [], params: [String] = [], killGrace: String = "10s") async throws -> (CommandExit, String) {
        try await capture { output in
            let options = ForegroundRun.Options(
                job: job, tasks: tasks, params: try CommandValues.params(params), workers: 2,
                killGrace: try CommandValues.duration(killGrace, option: "--kill-grace"), output: output)
            return try await ForegroundRun.run(options, settings: settings)
        }
    }

    /// `gnomon retry RUN`, its progress lines captured from a file.
    func retry(_ id: Int64) async throws -> (CommandExit, String) {
        try await capture { output in
            try await ForegroundRun.retry(run: id, workers: 2, killGrace: .seconds(10), settings: settings, output: output)
        }
    }

    /// `gnomon logs RUN [TASK]`.
    func logs(_ id: Int64, task: String?) async throws -> (CommandExit, String) {
        let path = home.path("logs-\(UUID().uuidString).out")
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw AppError(.environment, "cannot open \(path)") }
        defer { try? handle.close() }
        try await RunLogs.show(run: id, task: task, attempt: nil, follow: false, settings: settings, output: handle)
        return (.success, home.read(path) ?? "")
    }

    private func capture(_ body: (Int32) async throws -> CommandExit) async throws -> (CommandExit, String) {
        let path = home.path("run-\(UUID().uuidString).out")
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw AppError(.environment, "cannot create \(path)") }
        defer { close(descriptor) }
        let status = try await body(descriptor)
        return (status, home.read(path) ?? "")
    }
}
