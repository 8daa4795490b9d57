import GnomonCore
import GnomonExecution
import GnomonTesting

/// The environment tasks get in these tests: nothing from the test runner leaks in.
let testEnvironment = ["PATH": "/usr/bin:/bin"]

/// The identity of the attempts these tests launch (the local executor uses it for nothing).
let testIdentity = AttemptIdentity(job: "test", run: 1, task: "t", attempt: 1)

/// A launch of `/bin/sh -c line` logging into `scratch`.
func shell(
    _ line: String, in scratch: Scratch, log: String = "attempt.log",
    environment: [String: String] = testEnvironment,
    timeout: Duration? = nil, killGrace: Duration = .seconds(5)
) -> AttemptLaunch {
    AttemptLaunch(
        identity: testIdentity, action: .shell(line), environment: environment, workingDirectory: scratch.path,
        logPath: scratch.file(log), timeout: timeout, killGrace: killGrace)
}
