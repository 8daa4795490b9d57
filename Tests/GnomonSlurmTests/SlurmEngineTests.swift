import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing

/// Runs of Slurm tasks through the engine: retries, lost attempts, many tasks.
@Suite("Slurm runs through the engine", .serialized, .needsSlurm)
struct SlurmEngineTests {
    static func task(_ name: String, _ line: String, retry: Int = 0) -> TaskSpec {
        TaskSpec(name: name, action: .slurm(SlurmSpec(program: .shell(line))), retry: RetryPolicy(limit: retry, delay: .zero))
    }

    static func outcomes(_ detail: RunDetail, _ task: String) -> [AttemptOutcome?] {
        detail.attempts.filter { $0.task == task }.sorted { $0.number < $1.number }.map(\.outcome)
    }

    static func engine(_ home: TemporaryHome, _ cluster: SlurmCluster) throws -> RunEngine {
        try home.engine(executor: ExecutorRouter([.slurm: SlurmExecutor(configuration: cluster.configuration())]))
    }

    @Test("exit 3 is retried, and the retry succeeds; each attempt recorded with its Slurm job")
    func retried() async throws {
        try await SlurmCluster.with { cluster in
            let home = try TemporaryHome()
            let marker = home.path("tried")
            let job = JobBuilder("retry", directory: home.jobs)
                .adding(Self.task("flaky", "if [ -e '\(marker)' ]; then echo second; else touch '\(marker)'; exit 3; fi", retry: 1))
            let engine = try Self.engine(home, cluster)
            let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date())
            let status = await engine.execute(prepared)
            let detail = try #require(try home.openStore().run(prepared.id))
            #expect(status == .succeeded)
            #expect(Self.outcomes(detail, "flaky") == [.exited(code: 3), .exited(code: 0)])
            #expect(detail.attempts.allSatisfy { $0.slurm?.id.flatMap(Int.init) != nil && $0.containerName == nil && $0.pid == nil })
        }
    }

    @Test("the node set DOWN under a running job: the attempt is lost and retried once, without a retry")
    func nodeDown() async throws {
        try await SlurmCluster.with { cluster in
            let home = try TemporaryHome()
            let marker = home.path("first")
            let job = JobBuilder("down", directory: home.jobs)
                .adding(Self.task("work", "if [ -e '\(marker)' ]; then exit 0; fi; touch '\(marker)'; sleep \(TestTiming.longSleep)"))
            let engine = try Self.engine(home, cluster)
            let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date())
            let run = Task { await engine.execute(prepared) }
            #expect(await eventually(within: TestTiming.patience, every: .milliseconds(100)) { FileManager.default.fileExists(atPath: marker) })
            let node = try await cluster.run(["sinfo", "-h", "-o", "%n"])
            try await cluster.run(["scontrol", "update", "nodename=\(node)", "state=down", "reason=gnomon-test"])
            // The lost attempt's retry pends until the node is back.
            #expect(await eventually(within: TestTiming.patience, every: .milliseconds(200)) {
                (try? home.openStore().run(prepared.id)).flatMap { $0 }.map { Self.outcomes($0, "work").first == .lost } ?? false
            })
            // RESUME is refused for a node slurmd already brought back (ReturnToService=2); IDLE then.
            if (try? await cluster.run(["scontrol", "update", "nodename=\(node)", "state=resume"])) == nil {
                _ = try? await cluster.run(["scontrol", "update", "nodename=\(node)", "state=idle"])
            }
            let status = await run.value
            let detail = try #require(try home.openStore().run(prepared.id))
            #expect(status == .succeeded)
            #expect(Self.outcomes(detail, "work") == [.lost, .exited(code: 0)])
            let firstLog = (try? String(contentsOfFile: detail.attempts[0].logPath, encoding: .utf8)) ?? ""
            #expect(firstLog.contains("NODE_FAIL"), "log: \(firstLog)")
        }
    }

    @Test("200 tasks through the 2-CPU node, every one recorded succeeded")
    func twoHundred() async throws {
        try await SlurmCluster.with { cluster in
            let home = try TemporaryHome()
            var job = JobBuilder("many", directory: home.jobs)
            for index in 0..<200 { job = job.adding(Self.task("t\(index)", "true")) }
            let engine = try home.engine(
                executor: ExecutorRouter([.slurm: SlurmExecutor(configuration: cluster.configuration(poll: .seconds(1)))]),
                workers: 200)
            let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date())
            let status = await engine.execute(prepared)
            let detail = try #require(try home.openStore().run(prepared.id))
            #expect(status == .succeeded)
            #expect(detail.attempts.count == 200)
            #expect(detail.attempts.allSatisfy { $0.outcome == .exited(code: 0) })
        }
    }
}
