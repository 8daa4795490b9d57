import Foundation
import GnomonCore
import GnomonEngine
import GnomonTesting
import Testing

@Suite("Attempt logs")
struct LogTests {
    @Test("a task writing 100 MB gets every byte in its log and the run succeeds")
    func hundredMegabytes() async throws {
        let home = try TemporaryHome()
        let size = 100 * 1024 * 1024
        var job = JobBuilder("big", directory: home.jobs)
            .task("big", run: "head -c \(size) /dev/zero; echo done >&2")
            .task("beside", run: "sleep 0.2")
            .build()
        // 100 MiB and 5 bytes is past the standard log_limit (100 MiB): this task may write more.
        job.tasks[0].logLimit = LogLimit(bytes: 1 << 30)
        let finished = try await runToEnd(job, in: home)

        #expect(finished.status == .succeeded)
        let attempt = try #require(finished.detail.attempts(of: "big").first)
        #expect(attempt.logPath == "\(home.home)/logs/big/\(finished.id)/big.1.log")
        // stdout and stderr share the log: 100 MB of zeros, then "done\n".
        #expect(ProcessProbe.fileSize(attempt.logPath) == size + 5)
        // Gnomon never reads a task's output, so nothing can fill up and block it.
        #expect(finished.elapsed.seconds < 30, "took \(finished.elapsed)")
    }

    @Test("stdout and stderr go to one log per attempt, interleaved in order")
    func logPerAttempt() async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("talk", directory: home.jobs)
            .task("talk", run: "echo out $GNOMON_ATTEMPT; echo err $GNOMON_ATTEMPT >&2; [ $GNOMON_ATTEMPT -ge 2 ]",
                  retry: .quick(limit: 1, delay: duration("10ms")))
            .build()
        let finished = try await runToEnd(job, in: home)

        #expect(finished.status == .succeeded)
        let logs = finished.detail.attempts(of: "talk").map { home.read($0.logPath) }
        #expect(logs == ["out 1\nerr 1\n", "out 2\nerr 2\n"])
    }

    struct CouldNotStartCase: CustomTestStringConvertible, Sendable {
        let name: String
        let task: @Sendable (JobBuilder, _ root: String) -> JobBuilder
        /// Words the reason must contain.
        let words: [String]
        var testDescription: String { name }
    }

    static let couldNotStartCases: [CouldNotStartCase] = [
        CouldNotStartCase(
            name: "a command not found in PATH",
            task: { b, _ in b.task("t", command: ["gnomon-no-such-program", "--flag"]) },
            words: ["gnomon-no-such-program", "not found in PATH"]),
        CouldNotStartCase(
            name: "a command path that does not exist",
            task: { b, root in b.task("t", command: [root + "/missing/tool"]) },
            words: ["/missing/tool", "does not exist"]),
        CouldNotStartCase(
            name: "a file that is not executable",
            task: { b, root in b.task("t", command: [root + "/data.txt"]) },
            words: ["data.txt", "not executable", "chmod +x"]),
        CouldNotStartCase(
            name: "a working directory that does not exist",
            task: { b, _ in b.task("t", run: "true", workdir: "no-such-folder") },
            words: ["tasks.t.workdir: working directory", "no-such-folder", "does not exist", "create the folder, or change tasks.t.workdir"]),
    ]

    @Test("a task that cannot start is recorded could_not_start, with the reason at the top of its log",
          arguments: couldNotStartCases)
    func couldNotStart(_ c: CouldNotStartCase) async throws {
        let home = try TemporaryHome()
        try home.write("not a program\n", to: "data.txt")
        let job = c.task(JobBuilder("broken", directory: home.jobs), home.root)
            .task("next", run: "true", dependsOn: ["t"])
            .build()
        let finished = try await runToEnd(job, in: home)

        #expect(finished.status == .failed)
        #expect(finished.task("t").status == .failed)
        #expect(finished.task("next").status == .skipped)
        let attempt = try #require(finished.detail.attempts(of: "t").first)
        guard case .couldNotStart(let reason) = attempt.outcome else {
            Issue.record("outcome is \(String(describing: attempt.outcome)), not could_not_start")
            return
        }
        for word in c.words { #expect(reason.contains(word), "reason \"\(reason)\" lacks \"\(word)\"") }
        #expect(finished.task("t").reason == "attempt 1 could not start: \(reason)")
        let log = home.read(attempt.logPath) ?? "(no log)"
        #expect(log.hasPrefix("gnomon: could not start: \(reason)\n"), "log: \(log)")
    }
}
