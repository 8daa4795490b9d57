import Foundation
import GnomonStore
import GnomonTesting
import Testing

/// `gnomon show` and `show --json` name each Slurm attempt's job, node and state, from a real
/// daemon's run on a real cluster.
@Suite("gnomon show of Slurm attempts", .serialized, .needsSlurm)
struct SlurmShowTests {
    /// The `slurm` object of each attempt in `show --json`.
    static func slurmObjects(_ json: String) throws -> [[String: Any]] {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let attempts = try #require(object["attempts"] as? [[String: Any]])
        return try attempts.map { try #require($0["slurm"] as? [String: Any], "\($0)") }
    }

    @Test("the job id, node and state while the job runs and after it completed")
    func showsJobNodeAndState() async throws {
        try await SlurmCluster.with { cluster in
            let gnomon = try SlurmDaemon(cluster: cluster)
            let marker = gnomon.folders.path("go")
            try gnomon.write(job: "shown", """
                tasks:
                  work:
                    run: "while [ ! -e \(marker) ]; do sleep 0.1; done"
                    slurm: { cpus: 1 }
                """)
            let node = try await cluster.run(["sinfo", "-h", "-o", "%n"])
            try await gnomon.start()
            let id = try await gnomon.trigger("shown")
            let recorded = { gnomon.run(id)?.attempts.first?.slurm?.id }
            #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) { recorded() != nil }, "\(gnomon.log)")
            let job = try #require(recorded())
            #expect(await SlurmCrashTests.eventuallyAsync {
                (try? await gnomon.show(id))?.contains("RUNNING on \(node)") == true
            })
            let running = try await gnomon.show(id)
            // The Slurm table comes last: TASK, #, SLURM JOB, NODE, STATE.
            let row = running.split(separator: "\n").last { $0.hasPrefix("work") }
            #expect(row.map { $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init) }
                == ["work", "1", job, node, "RUNNING", "on", node], "\(running)")
            #expect(running.contains("SLURM JOB") && running.contains("NODE") && running.contains("STATE"), "\(running)")
            let runningJSON = try Self.slurmObjects(try await gnomon.show(id, json: true))
            #expect(runningJSON.count == 1)
            #expect(runningJSON.first?["job_id"] as? String == job)
            #expect(runningJSON.first?["node"] as? String == node)
            #expect(runningJSON.first?["state"] as? String == "RUNNING on \(node)")

            FileManager.default.createFile(atPath: marker, contents: nil)
            #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) {
                gnomon.run(id)?.summary.status.isFinished == true
            }, "\(gnomon.log)")
            let ended = try Self.slurmObjects(try await gnomon.show(id, json: true))
            #expect(ended.first?["job_id"] as? String == job)
            #expect(ended.first?["state"] as? String == "COMPLETED on \(node)")
            #expect(try await gnomon.show(id).contains("COMPLETED on \(node)"))
            await gnomon.stop()
        }
    }
}
