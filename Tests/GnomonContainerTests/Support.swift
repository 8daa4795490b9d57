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
