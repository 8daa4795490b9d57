import Foundation
import GnomonNotify
import GnomonTesting
import Testing

/// The command sender running real /bin/sh scripts through the one spawner.
@Suite struct CommandTests {
    static let environment = ["PATH": "/usr/bin:/bin"]

    @Test func theAlertOnStandardInputAndInTheEnvironment() async throws {
        try await withScratch { scratch in
            scratch.write("""
                #!/bin/sh
                cat > "$1/stdin.json"
                env | grep '^GNOMON_EVENT_' | sort > "$1/env.txt"
                echo "PATH=$PATH" >> "$1/env.txt"
                """, to: "alert.sh", mode: 0o755)
            let target = CommandTarget(argv: [scratch.file("alert.sh"), scratch.path], environment: Self.environment, timeout: .seconds(5))
            let result = await CommandSender(target: target).send(Fixtures.failure)
            #expect(result == .delivered(detail: "exit 0"))
            let input = try Data(contentsOf: URL(fileURLWithPath: scratch.file("stdin.json")))
            #expect(Array(input) == Fixtures.failure.jsonBody())
            let variables = try String(contentsOfFile: scratch.file("env.txt"), encoding: .utf8)
            #expect(variables == """
                GNOMON_EVENT_ID=4711
                GNOMON_EVENT_JOB=nightly-etl
                GNOMON_EVENT_RUN_ID=812
                GNOMON_EVENT_STATUS=failed
                GNOMON_EVENT_TEXT=nightly-etl failed (run 812): task load exit 3
                GNOMON_EVENT_TYPE=failure
                PATH=/usr/bin:/bin

                """)
        }
    }

    @Test func absentFieldsAreEmptyVariables() {
        let variables = CommandSender.variables(of: Fixtures.test)
        #expect(variables["GNOMON_EVENT_RUN_ID"] == "")
        #expect(variables["GNOMON_EVENT_STATUS"] == "")
        #expect(variables["GNOMON_EVENT_TYPE"] == "test")
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var script: String
        var error: String
        var testDescription: String { name }
    }

    static let failures: [Failure] = [
        Failure(
            name: "a non-zero exit with the start of stderr", script: "echo 'hook  rejected:\n bad token' >&2; exit 3",
            error: "ended with exit 3: hook rejected: bad token"),
        Failure(name: "a non-zero exit with nothing on stderr", script: "exit 1", error: "ended with exit 1"),
        Failure(name: "killed by a signal", script: "kill -9 $$", error: "ended with signal 9"),
    ]

    @Test(arguments: failures) func failingPrograms(_ failure: Failure) async throws {
        try await withScratch { scratch in
            let result = await CommandSender(target: CommandTarget(argv: ["sh", "-c", failure.script], environment: Self.environment))
                .send(Fixtures.failure)
            #expect(result == .failed(error: "sh \(failure.error)", retryable: true))
        }
    }

    @Test func aProgramThatRunsTooLongIsStoppedAtItsTimeout() async throws {
        try await withScratch { scratch in
            let clock = ContinuousClock()
            let start = clock.now
            let result = await CommandSender(target: CommandTarget(
                argv: ["sh", "-c", "echo $$ > \(scratch.file("pid")); exec sleep 30"], environment: Self.environment,
                timeout: .seconds(1))
            ).send(Fixtures.failure)
            let took = clock.now - start
            #expect(took < .seconds(2), "took \(took)")
            #expect(result == .failed(error: "sh timed out after 1s and was stopped", retryable: true))
            let pid = try #require(Int32(String(contentsOfFile: scratch.file("pid"), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
            #expect(kill(pid, 0) != 0, "the program still runs")
        }
    }

    @Test func aMissingProgramIsNotRetried() async {
        let result = await CommandSender(target: CommandTarget(argv: ["/nonexistent/alert.sh"], environment: Self.environment))
            .send(Fixtures.failure)
        let error = result.error ?? ""
        #expect(error.hasPrefix("could not start /nonexistent/alert.sh: "), "\(error)")
        #expect(result.retryable == false)
    }
}
