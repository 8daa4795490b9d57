// Measures the cost of starting and reaping local processes through GnomonExecution.
//
//     swift run -c release spawn-bench [count] [folder for the logs, default /tmp]
//
// Prints the time per process, one measure after another: the bare spawner (spawn + wait of
// /bin/true) and, within it, the spawn call alone; then full attempts (log file creation, checks,
// spawn, wait, group kill) of `true` found through PATH, and of `sh -c true`.
import Glibc
import GnomonExecution

let count = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1000
let logBase = CommandLine.arguments.dropFirst(2).first ?? "/tmp"
let clock = ContinuousClock()

func report(_ label: String, _ elapsed: Duration) {
    let perSpawn = elapsed / count
    print("\(label): \(count) in \(elapsed), \(perSpawn) each")
}

// Warm up the process loop and the page cache.
_ = try await ProcessSpawner.shared.runCapturingOutput(["/bin/true"], environment: [:])

let environment = ["PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8"]

/// The loops run on the process loop, as the engine's tasks do.
nonisolated func measure() async throws {
var spawnCalls = Duration.zero
var start = clock.now
for _ in 0..<count {
    let called = clock.now
    let pid = try ProcessSpawner.shared.spawn(SpawnRequest(
        executable: "/bin/true", arguments: ["true"], environment: environment))
    spawnCalls += clock.now - called
    let status = await ProcessSpawner.shared.waitForExit(of: pid)
    precondition(status == .exited(code: 0))
}
report("ProcessSpawner spawn+wait /bin/true", clock.now - start)
report("  of which the spawn call (vfork until the child's exec)", spawnCalls)

var template = Array("\(logBase)/gnomon-spawn-bench-XXXXXX".utf8CString)
let folder = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
let executor = LocalProcessExecutor()
func identity(_ index: Int) -> AttemptIdentity { AttemptIdentity(job: "bench", run: 1, task: "t\(index)", attempt: 1) }
start = clock.now
for index in 0..<count {
    let launch = AttemptLaunch(
        identity: identity(index), action: .command(["true"]), environment: environment, workingDirectory: folder,
        logPath: "\(folder)/task-\(index).log")
    let outcome = await executor.run(launch) { _ in }
    precondition(outcome == .exited(code: 0), "attempt \(index): \(outcome)")
}
report("LocalProcessExecutor attempt of true (PATH lookup, log file)", clock.now - start)

start = clock.now
for index in 0..<count {
    let launch = AttemptLaunch(
        identity: identity(index), action: .shell("true"), environment: environment, workingDirectory: folder,
        logPath: "\(folder)/shell-\(index).log")
    let outcome = await executor.run(launch) { _ in }
    precondition(outcome == .exited(code: 0), "attempt \(index): \(outcome)")
}
report("LocalProcessExecutor attempt of sh -c true", clock.now - start)

_ = try await ProcessSpawner.shared.runCapturingOutput(["/bin/rm", "-rf", folder], environment: [:])
}

try await Task(executorPreference: ProcessLoop.shared) { try await measure() }.value
