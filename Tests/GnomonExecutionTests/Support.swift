import GnomonCore
import GnomonExecution
import GnomonTesting

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
