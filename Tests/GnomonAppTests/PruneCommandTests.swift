import Foundation
import GnomonApp
import GnomonDaemon
import GnomonTesting
import Testing

/// `gnomon prune` on real runs with real log files, and `show` of a run it removed.
@Suite("gnomon prune")
struct PruneCommandTests {
    @Test
    func prunesByHandSaysWhatItRemovedAndShowSaysPruned() async throws {
        let b = try Bench()
        // The settings file beside the jobs folder keeps one run per job.
        try b.home.write("keep: { runs: 1 }\n", to: "gnomon.yaml")
        for _ in 1...3 { _ = try await b.run("ok") }
        let logs = (1...3).map { "\(b.home.home)/logs/ok/\($0)/hello.1.log" }
        #expect(logs.allSatisfy { b.home.read($0) == "hello\n" })

        let dry = try Prune.run(dryRun: true, vacuum: false, json: false, settings: b.settings)
        #expect(dry == "would prune 2 runs, 2 attempts, 2 log files (12 B) (ticks, events and alerts are counted only when pruning)")
        #expect(logs.allSatisfy { FileManager.default.fileExists(atPath: $0) }, "a dry run removes nothing")

        let text = try Prune.run(dryRun: false, vacuum: false, json: false, settings: b.settings)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("pruned 2 runs, 2 attempts, 2 log files (12 B), 0 ticks, ") == true, "\(text)")
        #expect(lines.count == 2 && lines[1].hasPrefix("database: "), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: "\(b.home.home)/logs/ok/1"))
        #expect(!FileManager.default.fileExists(atPath: "\(b.home.home)/logs/ok/2"))
        #expect(b.home.read(logs[2]) == "hello\n")

        let show = await b.outcome { (.success, try RunHistory.show(run: 1, json: false, settings: b.settings)) }
        #expect(show.status == .notFound)
        #expect(show.text.hasPrefix("run 1 was pruned: it was outside its job's keep: policy, and its record and logs were removed (2 run(s) pruned from \(b.settings.databasePath) so far, the last at "), "\(show)")
        let never = await b.outcome { (.success, try RunHistory.show(run: 9, json: false, settings: b.settings)) }
        #expect(never.status == .notFound && never.text.contains("run 9 not found"), "an id never given is not called pruned: \(never)")
        #expect(try RunHistory.show(run: 3, json: false, settings: b.settings).hasPrefix("run 3 of ok: succeeded"))

        let json = try Prune.run(dryRun: false, vacuum: false, json: true, settings: b.settings)
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(report?["runs"] as? Int == 0 && report?["dry_run"] as? Bool == false, "\(json)")
    }

    @Test
    func vacuumRewritesOnceAndIsRefusedWhileADaemonHoldsTheHome() async throws {
        let b = try Bench()
        _ = try await b.run("ok")
        let text = try Prune.run(dryRun: false, vacuum: true, json: false, settings: b.settings)
        #expect(text.hasPrefix("vacuumed: the database went from "), "\(text)")
        // This process taking the daemon's lock stands for a running daemon.
        let lock = try DaemonLock.acquire(home: b.home.home)
        defer { lock.release() }
        let refused = await b.outcome { (.success, try Prune.run(dryRun: false, vacuum: true, json: false, settings: b.settings)) }
        #expect(refused.status == .environment && refused.text.contains("stop it first, or prune without --vacuum"), "\(refused)")
    }
}
