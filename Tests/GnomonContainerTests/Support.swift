import Glibc
import GnomonCore
import GnomonExecution
import Synchronization
import Testing

/// The real podman and the test image that scripts/setup builds.
///
/// Locally, a machine without them skips these tests with a loud message. In CI (`CI=true`) the
/// tests always run, so a missing runtime or image fails them instead of skipping silently.
enum Podman {
    static let image = "localhost/gnomon-test:latest"

    static var inCI: Bool {
        guard let value = getenv("CI").map({ String(cString: $0).lowercased() }) else { return false }
        return value == "true" || value == "1" || value == "yes"
    }

    /// This test process's own environment; the runtime's CLI runs with it.
    static let hostEnvironment: [String: String] = {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        if result["PATH"] == nil { result["PATH"] = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin" }
        return result
    }()

    static let runtime: Result<ContainerRuntime, ContainerRuntimeProblem> =
        ContainerRuntime.detect(environment: hostEnvironment, override: "podman")

    /// Whether podman and the test image are here; computed once.
    static let availability = Task<String?, Never> {
        switch runtime {
        case .failure(let problem):
            return problem.message
        case .success(let podman):
            let exists = try? await ProcessSpawner.shared.runCapturingOutput(
                [podman.executable, "image", "exists", image], environment: podman.environment)
            if exists?.status != .exited(code: 0) {
                return "the test image \(image) is missing; run scripts/setup to build it"
            }
            return nil
        }
    }

    private static let skipAnnounced = Atomic<Bool>(false)

    /// The trait condition: on in CI whatever happens, else only when podman and the image exist.
    static func enabled() async -> Bool {
        if inCI { return true }
        if let problem = await availability.value {
            guard !skipAnnounced.exchange(true, ordering: .relaxed) else { return false }
            let warning = "\n*** SKIPPING the container tests: \(problem). In CI (CI=true) they fail instead. ***\n"
            _ = Array(warning.utf8).withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
            return false
        }
        return true
    }

    /// The executor, or a test failure that says what is missing.
    static func executor() async throws -> ContainerExecutor {
        let podman = try runtime.get()
        if let problem = await availability.value {
            throw ContainerRuntimeProblem(message: "container tests need podman and \(image): \(problem)")
        }
        return ContainerExecutor(runtime: podman)
    }

    /// Runs `podman arguments...` to its end.
    @discardableResult
    static func run(_ arguments: [String]) async throws -> CapturedOutput {
        let podman = try runtime.get()
        return try await ProcessSpawner.shared.runCapturingOutput(
            [podman.executable] + arguments, environment: podman.environment)
    }

    /// The names of every container, running or not, with the label `gnomon.test=tag`.
    static func containers(tagged tag: String) async throws -> [String] {
        let output = try await run(["ps", "--all", "--filter", "label=gnomon.test=\(tag)", "--format", "{{.Names}}"])
        #expect(output.status == .exited(code: 0), "podman ps failed: \(output.errorText)")
        return output.outputText.split(separator: "\n").map(String.init)
    }

    /// Waits up to 10 s until a container tagged `tag` runs.
    static func waitUntilRunning(tag: String) async throws -> Bool {
        for _ in 0..<100 {
            let output = try await run(["ps", "--filter", "label=gnomon.test=\(tag)", "--format", "{{.Names}}"])
            if output.outputText.contains(tag) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when podman and the test image exist, and always in CI.
    static var needsPodman: Self {
        .enabled("needs podman and \(Podman.image) (scripts/setup); forced on in CI") { await Podman.enabled() }
    }
}

/// A unique tag for one test's containers, so tests can run in parallel.
enum Tag {
    private static let counter = Atomic<Int>(0)

    static func make(_ test: String) -> String {
        let number = counter.add(1, ordering: .relaxed).newValue
        return ContainerLaunch.sanitize("gnomon-ct-\(test)-\(getpid())-\(number)")
    }
}

/// A fresh folder under /tmp for one test.
struct Scratch {
    let path: String

    init() {
        var template = Array("/tmp/gnomon-container-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: made!)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func makeFolder(_ name: String) {
        precondition(mkdir(file(name), 0o777) == 0, "cannot make \(file(name))")
        chmod(file(name), 0o777)
    }

    func write(_ text: String, to name: String, mode: mode_t = 0o644) {
        let descriptor = open(file(name), O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(descriptor >= 0, "cannot write \(file(name))")
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        chmod(file(name), mode)
    }

    /// Removes the folder and everything in it (synchronously, so `defer` can call it).
    func remove() {
        Self.removeTree(path)
    }

    private static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR, let directory = opendir(path) {
            var names: [String] = []
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name != "." && name != ".." { names.append(name) }
            }
            closedir(directory)
            for name in names { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

/// A launch of `command` in the test image, tagged with `tag`, logging into `scratch`.
func containerLaunch(
    _ command: [String], tag: String, in scratch: Scratch, log: String = "attempt.log",
    timeout: Duration? = nil, killGrace: Duration = .seconds(5),
    configure: (inout ContainerSpec) -> Void = { _ in }
) -> ContainerLaunch {
    var spec = ContainerSpec(image: Podman.image, command: command, pull: .never)
    configure(&spec)
    return ContainerLaunch(
        spec: spec, name: tag, labels: ["gnomon.test": tag, "gnomon.task": "t"],
        environment: ["GNOMON_TASK": "t"], hostDirectory: scratch.path, logPath: scratch.file(log),
        timeout: timeout, killGrace: killGrace)
}

func readText(_ path: String) -> String? {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
        guard count > 0 else { break }
        bytes.append(contentsOf: chunk[..<count])
    }
    return String(decoding: bytes, as: UTF8.self)
}

func fileExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}

/// Records what `onStart` received.
final class StartRecorder: Sendable {
    private let starts = Mutex<[StartedProcess]>([])

    var all: [StartedProcess] { starts.withLock { $0 } }

    func record(_ process: StartedProcess) {
        starts.withLock { $0.append(process) }
    }
}

/// Seconds elapsed since `start`.
func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}
