import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

extension DaemonIntegrationTests {
    /// A fan-out whose daemon is SIGKILLed while six instances run and four have succeeded: the
    /// next daemon stops the orphans, records their attempts lost, and runs each of them once
    /// more; the four that succeeded are not run again, no instance is made twice or lost, and
    /// the merge sees every instance's output in item order.
    @Test
    func aDaemonSIGKILLedMidFanOutRecoversEachInstanceOnce() async throws {
        let h = try DaemonHarness()
        let marker = h.root + "/marker", started = h.root + "/started", done = h.root + "/done", merged = h.root + "/merged"
        let items = (0..<4).map { "fast \($0)" } + (4..<10).map { "slow \($0)" }
        let list = "[" + items.map { "\\\"\($0)\\\"" }.joined(separator: ",") + "]"
        try h.write(job: "fan", """
            tasks:
              plan:
                run: echo "items=\(list)" >> "$GNOMON_OUTPUT"
              chunk:
                foreach: ${{ tasks.plan.outputs.items }}
                concurrency: 6
                depends_on: [plan]
                run: |
                  echo "$GNOMON_ITEM" >> '\(started)'
                  case "$GNOMON_ITEM" in fast*) ;; *) while [ ! -f '\(marker)' ]; do sleep 0.05; done ;; esac
                  echo "n=$GNOMON_ITEM" >> "$GNOMON_OUTPUT"
                  echo "$GNOMON_ITEM" >> '\(done)'
              merge:
                command: [sh, -c, 'printf "%s" "$1" > \(merged)', sh, "${{ tasks.chunk.outputs.n }}"]
                depends_on: [chunk]
            """)
        try await h.startDaemon()
        let id = try #require(Int64(try await h.cli(["trigger", "fan"]).out.trimmingCharacters(in: .whitespacesAndNewlines)))
        func instances() throws -> [TaskRecord] { try h.store().run(id)?.tasks.filter { $0.instanceOf == "chunk" } ?? [] }
        func openAttempts() throws -> [AttemptRecord] {
            try h.store().run(id)?.attempts.filter { $0.task.hasPrefix("chunk[") && $0.outcome == nil && $0.pgid != nil } ?? []
        }
        // Mid-fan-out: the four fast instances succeeded, the six slow ones run (the concurrency).
        #expect(await h.waitUntil(timeout: 10) {
            try instances().filter { $0.status == .succeeded }.count == 4 && openAttempts().count == 6
        }, "\(h.log)")
        let orphans = try openAttempts().compactMap(\.pgid)
        await h.stopDaemon(signal: SIGKILL)

        try await h.startDaemon()
        // The orphans were stopped by recovery and each slow instance started again: only then is
        // the marker made, so no orphan can reach its end.
        #expect(await h.waitUntil(timeout: 10) {
            try h.store().run(id)?.attempts.filter { $0.task.hasPrefix("chunk[") && $0.number == 2 && $0.pgid != nil }.count == 6
        }, "\(h.log)")
        for group in orphans { #expect(!ProcessProbe.groupIsRunning(group), "orphan group \(group) still runs") }
        FileManager.default.createFile(atPath: marker, contents: nil)
        #expect(await h.waitUntil(timeout: 15) { try h.store().run(id)?.summary.status.isFinished == true }, "\(h.log)")
        #expect(await h.stopDaemon() == 0)

        let run = try #require(try h.store().run(id))
        #expect(run.summary.status == .succeeded, "\(run.tasks)")
        let recorded = run.tasks.filter { $0.instanceOf == "chunk" }.sorted { ($0.index ?? 0) < ($1.index ?? 0) }
        #expect(recorded.map(\.item) == items, "every instance recorded once, none lost")
        #expect(recorded.map(\.attempts) == Array(repeating: 1, count: 4) + Array(repeating: 2, count: 6))
        for instance in recorded.dropFirst(4) {
            #expect(run.attempts(of: instance.name).map(\.outcome) == [.lost, .exited(code: 0)], "\(instance.name)")
        }
        let ends = (try String(contentsOfFile: done, encoding: .utf8)).split(separator: "\n").map(String.init)
        #expect(ends.sorted() == items.sorted(), "each instance reached its end exactly once")
        let starts = (try String(contentsOfFile: started, encoding: .utf8)).split(separator: "\n").map(String.init)
        #expect(starts.filter { $0.hasPrefix("fast") }.sorted() == Array(items.prefix(4)), "a succeeded instance is never run again")
        let expected = "[" + items.map { "\"\($0)\"" }.joined(separator: ",") + "]"
        #expect((try? String(contentsOfFile: merged, encoding: .utf8)) == expected)

        // The CLI: the foreach task counted, an instance's log by name.
        let show = try await h.cli(["show", String(id)])
        #expect(show.out.contains("foreach 10 items: 10 succeeded"), "\(show.out)")
        let logs = try await h.cli(["logs", String(id), "chunk[3]"])
        #expect(logs.status == 0, "\(logs)")
        let whole = try await h.cli(["logs", String(id), "chunk"])
        #expect(whole.status != 0 && whole.err.contains("chunk is a foreach task"), "\(whole)")
    }
}
