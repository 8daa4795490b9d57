import Glibc
import GnomonCore
import GnomonExecution
import GnomonTesting
import Testing

/// Tasks that end by themselves: the outcome and the log say how.
@Suite("Outcomes of tasks that end by themselves")
struct OutcomeTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let line: String
        let environment: [String: String]
        let outcome: AttemptOutcome
        let log: String
        var testDescription: String { name }

        init(_ name: String, _ line: String, environment: [String: String] = testEnvironment,
             outcome: AttemptOutcome, log: String) {
            self.name = name
            self.line = line
            self.environment = environment
            self.outcome = outcome
            self.log = log
        }
    }

    static let cases: [Case] = [
        Case("exit 0 succeeds", "exit 0", outcome: .exited(code: 0), log: ""),
        Case("exit 3 is an outcome, not an error", "echo failing; exit 3", outcome: .exited(code: 3), log: "failing\n"),
        Case("kill -9 of itself is signalled 9", "kill -9 $$", outcome: .signalled(signal: 9), log: ""),
        Case("stdout and stderr share the log in order", "echo out; echo err >&2; echo out2",
             outcome: .exited(code: 0), log: "out\nerr\nout2\n"),
        Case("stdin is /dev/null", "read line; echo \"read status $?\"", outcome: .exited(code: 0), log: "read status 1\n"),
        Case("stdin is the null device, and no other descriptor is left open", "readlink /proc/self/fd/0; ls /proc/self/fd | wc -l",
             outcome: .exited(code: 0), log: "/dev/null\n4\n"),
        Case("the child sees exactly the given environment",
             "echo \"$GREETING ${HOME-no-home} ${USER-no-user}\"",
             environment: ["PATH": "/usr/bin:/bin", "GREETING": "hello there"],
             outcome: .exited(code: 0), log: "hello there no-home no-user\n"),
        Case("a bare command is found in the child's PATH", "sh -c 'exit 5'", outcome: .exited(code: 5), log: ""),
    ]

    @Test("outcome and log", arguments: cases)
    func outcomeAndLog(_ testCase: Case) async {
        let scratch = Scratch()
        let launch = shell(testCase.line, in: scratch, environment: testCase.environment)
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == testCase.outcome)
        #expect(ProcessProbe.readText(launch.logPath) == testCase.log)
        scratch.remove()
    }

    @Test("the child starts in the working directory, in its own process group")
    func workingDirectoryAndGroup() async {
        let scratch = Scratch()
        let recorder = StartRecorder()
        let launch = shell("pwd; sleep 0.2", in: scratch)
        let outcome = await LocalProcessExecutor().run(launch) { recorder.record($0) }
        #expect(outcome == .exited(code: 0))
        #expect(ProcessProbe.readText(launch.logPath) == scratch.path + "\n")
        let starts = recorder.all
        #expect(starts.count == 1)
        #expect(starts.first.map { $0.pid == $0.pgid } == true)
        #expect(recorder.observedGroups == starts.map(\.pid))
        #expect(starts.first.map { $0.pid != getpgrp() } == true)
        scratch.remove()
    }

    @Test("argv is passed as given, without a shell")
    func commandArgv() async {
        let scratch = Scratch()
        let launch = AttemptLaunch(
            identity: testIdentity, action: .command(["printf", "%s|", "two words", "$HOME", "*"]),
            environment: testEnvironment,
            workingDirectory: scratch.path, logPath: scratch.file("argv.log"))
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == .exited(code: 0))
        #expect(ProcessProbe.readText(launch.logPath) == "two words|$HOME|*|")
        scratch.remove()
    }

    @Test("log folders are created")
    func logFoldersAreCreated() async {
        let scratch = Scratch()
        let launch = shell("echo deep", in: scratch, log: "runs/r1/task/attempt-1.log")
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == .exited(code: 0))
        #expect(ProcessProbe.readText(launch.logPath) == "deep\n")
        scratch.remove()
    }
}
