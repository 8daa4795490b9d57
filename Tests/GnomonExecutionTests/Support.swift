import Glibc
import GnomonCore
import GnomonExecution
import Synchronization

/// A fresh folder under /tmp for one test, removed by `remove()`.
struct Scratch {
    let path: String

    init() {
        var template = Array("/tmp/gnomon-exec-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: made!)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ text: String, to name: String, mode: mode_t = 0o644) {
        let descriptor = open(file(name), O_WRONLY | O_CREAT | O_TRUNC, mode)
        precondition(descriptor >= 0, "cannot write \(file(name))")
        _ = Array(text.utf8).withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        chmod(file(name), mode)
    }

    /// Removes the folder, through the spawner like every child of this process must be.
    func remove() async {
        _ = try? await ProcessSpawner.shared.runCapturingOutput(["/bin/rm", "-rf", path], environment: [:])
    }
}

/// The environment tasks get in these tests: nothing from the test runner leaks in.
let testEnvironment = ["PATH": "/usr/bin:/bin"]

/// A launch of `/bin/sh -c line` logging into `scratch`.
func shell(
    _ line: String, in scratch: Scratch, log: String = "attempt.log",
    environment: [String: String] = testEnvironment,
    timeout: Duration? = nil, killGrace: Duration = .seconds(5)
) -> AttemptLaunch {
    AttemptLaunch(
        argv: ["/bin/sh", "-c", line], environment: environment, workingDirectory: scratch.path,
        logPath: scratch.file(log), timeout: timeout, killGrace: killGrace)
}

/// The bytes of a file, or nil if it cannot be opened.
func readBytes(_ path: String) -> [UInt8]? {
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
    return bytes
}

func readText(_ path: String) -> String? {
    readBytes(path).map { String(decoding: $0, as: UTF8.self) }
}

func fileSize(_ path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int(info.st_size)
}

func fileExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}

/// Whether `pid` is gone or a zombie: killed, only waiting for a reaper that is not ours
/// (orphans go to PID 1, which need not reap them in a sandbox).
func isDeadOrZombie(_ pid: Int32) -> Bool {
    if kill(pid, 0) != 0 && errno == ESRCH { return true }
    guard let stat = readText("/proc/\(pid)/stat") else { return true }
    // "pid (comm) S ..." — the state follows the last ')'.
    guard let close = stat.lastIndex(of: ")") else { return false }
    let rest = stat[stat.index(after: close)...].drop(while: { $0 == " " })
    return rest.first == "Z" || rest.first == "X"
}

/// Waits up to `limit` for `pid` to die; signals are delivered asynchronously.
func waitUntilDead(_ pid: Int32, limit: Duration = .seconds(3)) async -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + limit
    while clock.now < end {
        if isDeadOrZombie(pid) { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return isDeadOrZombie(pid)
}

/// Reads a pid a task wrote to a file, waiting briefly for the write.
func readPid(_ path: String) async -> Int32? {
    for _ in 0..<100 {
        if let text = readText(path), let pid = Int32(text.trimmingCharacters(in: " \n")) { return pid }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return nil
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var slice = self[...]
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

/// Records what `onStart` received.
final class StartRecorder: Sendable {
    private let starts = Mutex<[StartedProcess]>([])
    private let groups = Mutex<[Int32]>([])

    var all: [StartedProcess] { starts.withLock { $0 } }
    /// `getpgid` of each started pid, read inside `onStart`.
    var observedGroups: [Int32] { groups.withLock { $0 } }

    func record(_ process: StartedProcess) {
        let group = getpgid(process.pid)
        starts.withLock { $0.append(process) }
        groups.withLock { $0.append(group) }
    }
}
