import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonStore

/// A fresh `$GNOMON_HOME` and jobs folder for one test, deleted with the value.
///
/// Layout: `ROOT/home` (the home; created when the store is first opened, as Gnomon would) and
/// `ROOT/jobs` (created at once). Every test makes its own, so tests can run in parallel.
public final class TemporaryHome: Sendable {
    /// The folder holding everything, under the system's temporary folder.
    public let root: String
    /// `$GNOMON_HOME`: the database and `logs/`.
    public let home: String
    /// The jobs folder (`--jobs`).
    public let jobs: String

    /// The environment tasks start from in tests: only a PATH, nothing from the test runner.
    public static let taskEnvironment = ["PATH": "/usr/local/bin:/usr/bin:/bin"]

    public init() throws {
        var template = Array((NSTemporaryDirectory() as NSString).appendingPathComponent("gnomon-test-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw TestSetupError("could not create a temporary folder: \(String(cString: strerror(errno)))")
        }
        root = String(cString: made)
        home = root + "/home"
        jobs = root + "/jobs"
        try FileManager.default.createDirectory(atPath: jobs, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The database file in the home (`HOME/gnomon.db`).
    public var database: String { home + "/" + GnomonStore.fileName }

    /// A path inside the root folder (a scratch file a task writes and a test reads).
    public func path(_ name: String) -> String { root + "/" + name }

    /// Writes `text` to `name` inside the root folder (creating folders) and returns its path.
    @discardableResult
    public func write(_ text: String, to name: String) throws -> String {
        let file = path(name)
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// Writes a job file `jobs/NAME.yaml` and returns its path.
    @discardableResult
    public func writeJob(_ name: String, _ yaml: String) throws -> String {
        try write(yaml, to: "jobs/\(name).yaml")
    }

    /// The text of a file inside the root folder (or an absolute path), nil if unreadable.
    public func read(_ name: String) -> String? {
        let file = name.hasPrefix("/") ? name : path(name)
        return (try? Data(contentsOf: URL(fileURLWithPath: file))).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Opens (creating) the real SQLite store in the home.
    public func openStore() throws -> GnomonStore {
        try GnomonStore.open(home: home)
    }

    /// An engine over a fresh connection to this home's store.
    ///
    /// - Parameters:
    ///   - executor: local processes and containers (found in the `PATH` of `environment`) unless
    ///     given (a `RecordingExecutor` for doubles).
    ///   - workers: the global worker pool's width.
    ///   - killGrace: SIGTERM-to-SIGKILL grace; short so kills are quick in tests.
    ///   - cancelPollInterval: how often a run looks for `gnomon kill` requests.
    public func engine(
        executor: (any TaskExecutor)? = nil, workers: Int = 8,
        clock: any EngineClock = SystemClock(), killGrace: Duration = .seconds(1),
        environment: [String: String] = TemporaryHome.taskEnvironment,
        cancelPollInterval: Duration = .milliseconds(100)
    ) throws -> RunEngine {
        RunEngine(
            store: try openStore(), executor: executor ?? ExecutorRouter.standard(environment: environment), pool: WorkerPool(width: workers), clock: clock,
            settings: EngineSettings(
                home: home, killGrace: killGrace, baseEnvironment: environment,
                cancelPollInterval: cancelPollInterval))
    }
}

/// A test could not set up its fixture; says what failed.
public struct TestSetupError: Error, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
