import Foundation
import GnomonApp
import GnomonCore
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing

/// `runs` and `show` say when an unfinished run's runner is gone instead of calling it running.
@Suite("A run whose runner is gone")
struct RunnerGoneTests {
    @Test("runs and show name a dead runner; a live one is not flagged")
    func runnerGone() async throws {
        let bench = try Bench()
        // A pid that existed and has exited (reaped): nobody runs the run recorded with it.
        let dead = try ProcessSpawner.shared.spawn(SpawnRequest(executable: "/bin/true", arguments: ["true"], environment: [:]))
        _ = await ProcessSpawner.shared.waitForExit(of: dead)
        let store = try GnomonStore.open(home: bench.home.home)
        let job = JobSpec(name: "load", tasks: [TaskSpec(name: "a", action: .shell("true"))], directory: "/tmp")
        for pid in [dead, getpid()] {
            _ = try store.createRun(NewRun(
                job: "load", trigger: .manual, scheduledAt: Date(), createdAt: Date(), status: .running, snapshot: job,
                runnerPID: pid, runnerInstance: "runner-\(pid)", tasks: [NewTask(name: "a", status: .running)]))
        }
        let list = try RunHistory.list(job: nil, status: [], since: nil, limit: 10, json: false, settings: bench.settings)
        #expect(list.contains("running (runner gone)"))
        #expect(list.components(separatedBy: "runner gone").count == 2, "only the dead runner's run is flagged:\n\(list)")

        let shown = try RunHistory.show(run: 1, json: false, settings: bench.settings)
        #expect(shown.hasPrefix("run 1 of load: running; its runner (pid \(dead)) is gone: `gnomon daemon` recovers it when it starts\n"))
        let live = try RunHistory.show(run: 2, json: false, settings: bench.settings)
        #expect(live.hasPrefix("run 2 of load: running\n"))
    }
}
