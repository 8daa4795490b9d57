import Foundation
import GnomonTesting
import Synchronization
import Testing

/// `gnomon runs` and `gnomon show` in other processes while `gnomon run` writes: WAL readers
/// never meet "database is locked" and always succeed.
@Suite("Readers in other processes")
struct ReadersTests {
    /// What the reader loops saw.
    final class Tally: Sendable {
        private struct State {
            var reads = 0
            var readsWhileRunning = 0
            var problems: [String] = []
        }
        private let state = Mutex(State())
        let done = Atomic<Bool>(false)

        func record(_ arguments: [String], _ result: CLI.Result) {
            let parsed = (try? result.json()) != nil
            state.withLock { state in
                state.reads += 1
                if result.stdout.contains("\"running\"") { state.readsWhileRunning += 1 }
                // Until the runner has recorded run 1, `show 1` may rightly say it does not exist.
                if arguments[0] == "show" && result.status == 3 && result.stderr.contains("run 1 not found") { return }
                if result.status != 0 || !result.stderr.isEmpty || !parsed {
                    state.problems.append("\(arguments.joined(separator: " ")): \(result)")
                }
            }
        }

        var reads: Int { state.withLock { $0.reads } }
        var readsWhileRunning: Int { state.withLock { $0.readsWhileRunning } }
        var problems: [String] { state.withLock { $0.problems } }
    }

    @Test("runs --json and show --json keep succeeding while a busy run writes")
    func readersDuringRun() async throws {
        let home = try TemporaryHome()
        let stop = home.path("stop")
        // Writers fail and are retried every few milliseconds until the test has read enough
        // (or 100 attempts); the gate keeps the run going until then.
        var tasks = """
            concurrency: 5
            tasks:
              gate:
                run: i=0; while [ ! -f '\(stop)' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done

            """
        for index in 1...4 {
            tasks += """
                  w\(index):
                    run: sleep 0.02; [ -f '\(stop)' ] || [ $GNOMON_ATTEMPT -ge 100 ]
                    retry: {limit: 99, delay: 10ms, backoff: 1, jitter: 0}

                """
        }
        try home.writeJob("busy", tasks)
        let cli = CLI(home: home)
        // Create the database first, so the readers never see a missing one.
        #expect(try await cli.run(["runs"]).status == 0)
        let runner = try cli.start(["run", "busy", "--workers", "5"], name: "runner")
        let tally = Tally()
        let wanted = 20

        let result = try await withThrowingTaskGroup(of: CLI.Result?.self) { group in
            group.addTask {
                let result = await runner.finish()
                tally.done.store(true, ordering: .sequentiallyConsistent)
                return result
            }
            for reader in 0..<2 {
                group.addTask {
                    let arguments = reader == 0 ? ["runs", "--json"] : ["show", "1", "--json"]
                    let clock = ContinuousClock()
                    let end = clock.now + .seconds(60)
                    while !tally.done.load(ordering: .sequentiallyConsistent) {
                        tally.record(arguments, try await cli.run(arguments))
                        if tally.readsWhileRunning >= wanted || clock.now > end {
                            FileManager.default.createFile(atPath: stop, contents: nil)
                        }
                    }
                    return nil
                }
            }
            var runnerResult: CLI.Result?
            for try await value in group { if let value { runnerResult = value } }
            return runnerResult
        }

        #expect(result?.status == 0, "\(String(describing: result))")
        #expect(tally.problems.isEmpty, "\(tally.problems.count) failed reads of \(tally.reads), first: \(tally.problems.prefix(2))")
        #expect(tally.readsWhileRunning >= wanted, "only \(tally.readsWhileRunning) of \(tally.reads) reads saw the run running")
        let run = try #require(try await cli.run(["show", "1", "--json"]).json() as? [String: Any])
        #expect(run["status"] as? String == "succeeded")
        #expect(((run["attempts"] as? [Any])?.count ?? 0) > 8, "the writers were retried while the readers read")
    }
}
