import Glibc
import GnomonCore
import GnomonExecution
import GnomonTesting
import Synchronization
import Testing

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
