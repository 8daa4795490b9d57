import Glibc
import GnomonCore
import GnomonExecution
import GnomonTesting
import Testing

/// Attempts that cannot start: a clear reason in the outcome and at the top of the log.
@Suite("Could-not-start outcomes")
struct CouldNotStartTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// Builds the launch inside the scratch folder (and prepares files there).
        let launch: @Sendable (Scratch) -> AttemptLaunch
        /// The exact reason, given the scratch folder.
        let reason: @Sendable (Scratch) -> String
        /// Whether the log file can exist to carry the reason.
        let logged: Bool
        var testDescription: String { name }
    }

    static func command(_ argv: [String], in scratch: Scratch, directory: String? = nil) -> AttemptLaunch {
        AttemptLaunch(identity: testIdentity, action: .command(argv), environment: testEnvironment, workingDirectory: directory ?? scratch.path,
                      logPath: scratch.file("attempt.log"))
    }

    static let cases: [Case] = [
        Case(name: "command not found in PATH",
             launch: { command(["nosuch-gnomon-command", "x"], in: $0) },
             reason: { _ in "command \"nosuch-gnomon-command\" not found in PATH (/usr/bin:/bin)" },
             logged: true),
        Case(name: "a non-executable file is permission denied",
             launch: { scratch in
                 scratch.write("#!/bin/sh\necho hi\n", to: "script.sh", mode: 0o644)
                 return command([scratch.file("script.sh")], in: scratch)
             },
             reason: { "command \"\($0.file("script.sh"))\" is not executable (permission denied); make it executable with chmod +x \($0.file("script.sh"))" },
             logged: true),
        Case(name: "a missing working directory",
             launch: { command(["/bin/true"], in: $0, directory: $0.file("x/y")) },
             reason: { "working directory \($0.file("x/y")) does not exist" },
             logged: true),
        Case(name: "a missing working directory and a command not in PATH: the directory is named first",
             launch: { command(["nosuch-gnomon-command"], in: $0, directory: $0.file("x/y")) },
             reason: { "working directory \($0.file("x/y")) does not exist" },
             logged: true),
        Case(name: "a missing working directory and a missing absolute command: the directory is named first",
             launch: { command([$0.file("nosuch")], in: $0, directory: $0.file("x/y")) },
             reason: { "working directory \($0.file("x/y")) does not exist" },
             logged: true),
        Case(name: "a missing absolute command, found by the spawn and named as the lookup would",
             launch: { command([$0.file("nosuch")], in: $0) },
             reason: { "command \"\($0.file("nosuch"))\" does not exist" },
             logged: true),
        Case(name: "an absolute command that is a directory",
             launch: { command([$0.path], in: $0) },
             reason: { "command \"\($0.path)\" is a directory, not a program" },
             logged: true),
        Case(name: "a working directory that is a file",
             launch: { scratch in
                 scratch.write("not a folder", to: "plain")
                 return command(["/bin/true"], in: scratch, directory: scratch.file("plain"))
             },
             reason: { "working directory \($0.file("plain")) is not a directory" },
             logged: true),
        Case(name: "a file without #! that is executable",
             launch: { scratch in
                 scratch.write("\u{1}\u{2}garbage", to: "blob", mode: 0o755)
                 return command([scratch.file("blob")], in: scratch)
             },
             reason: { "could not start \($0.file("blob")): Exec format error (ENOEXEC); the file is not a program and does not start with a #! line" },
             logged: true),
        Case(name: "a log folder that cannot be made",
             launch: { scratch in
                 scratch.write("a file", to: "logs")
                 var launch = command(["/bin/true"], in: scratch)
                 launch.logPath = scratch.file("logs/attempt.log")
                 return launch
             },
             reason: { "could not create the log folder \($0.file("logs")): a file of that name exists" },
             logged: false),
    ]

    @Test("reason in the outcome and the log", arguments: cases)
    func reasonInOutcomeAndLog(_ testCase: Case) async {
        let scratch = Scratch()
        let launch = testCase.launch(scratch)
        let recorder = StartRecorder()
        let outcome = await LocalProcessExecutor().run(launch) { recorder.record($0) }
        let reason = testCase.reason(scratch)
        #expect(outcome == .couldNotStart(reason: reason))
        #expect(recorder.all.isEmpty, "onStart must not be called when nothing started")
        if testCase.logged {
            #expect(ProcessProbe.readText(launch.logPath) == "gnomon: could not start: \(reason)\n")
        } else {
            #expect(!ProcessProbe.fileExists(launch.logPath))
        }
        scratch.remove()
    }

    @Test("an existing log file is never overwritten")
    func existingLogIsKept() async {
        let scratch = Scratch()
        scratch.write("earlier attempt\n", to: "attempt.log")
        let launch = shell("echo overwritten", in: scratch)
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == .couldNotStart(
            reason: "log file \(launch.logPath) already exists; Gnomon never overwrites an attempt's log"))
        #expect(ProcessProbe.readText(launch.logPath) == "earlier attempt\n")
        scratch.remove()
    }

    @Test("a cancelled caller starts nothing")
    func cancelledBeforeStart() async {
        let scratch = Scratch()
        let launch = shell("echo should not run", in: scratch)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await LocalProcessExecutor().run(launch) { _ in }
        }
        #expect(await task.value == .cancelled)
        #expect(!ProcessProbe.fileExists(launch.logPath))
        scratch.remove()
    }
}
