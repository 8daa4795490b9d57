import Foundation
import Glibc
import GnomonCore
import GnomonTesting
import Testing

/// Stopping a `gnomon run` from outside: `gnomon kill` from another process, or Ctrl-C (SIGINT).
@Suite("Stopping a foreground run")
struct StopRunTests {
    enum How: Sendable { case killCommand, interrupt, terminate }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let how: How
        let reason: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "gnomon kill RUN from a second process", how: .killCommand, reason: "killed by gnomon kill (pid "),
        Case(name: "Ctrl-C (SIGINT to gnomon run)", how: .interrupt, reason: "interrupted (Ctrl-C)"),
        Case(name: "SIGTERM to gnomon run", how: .terminate, reason: "terminated (SIGTERM)"),
    ]

    @Test("the run ends cancelled, its tasks killed, and gnomon run exits 5", arguments: cases)
    func stop(_ c: Case) async throws {
        let home = try TemporaryHome()
        let pidFile = home.path("task.pid")
        try home.writeJob("long", """
            tasks:
              work:
                run: echo $$ > '\(pidFile)'; sleep \(TestTiming.longSleep)
              more:
                run: sleep \(TestTiming.longSleep)
              after_work:
                run: "true"
                depends_on: [work]
            """)
        let cli = CLI(home: home)
        let runner = try cli.start(["run", "long", "--kill-grace", "2s"], name: "runner")
        let taskPID = try #require(await ProcessProbe.waitForPID(in: pidFile), "the task never started")

        let asked = Date()
        switch c.how {
        case .killCommand:
            let kill = try await cli.run(["kill", "1"])
            #expect(kill.status == 0, "\(kill)")
            #expect(kill.stdout == "run 1 cancelled\n", "\(kill)")
        case .interrupt:
            #expect(Glibc.kill(runner.pid, SIGINT) == 0)
        case .terminate:
            #expect(Glibc.kill(runner.pid, SIGTERM) == 0)
        }
        let result = await runner.finish()

        #expect(result.status == 5, "\(result)")
        #expect(await ProcessProbe.waitUntilGone(taskPID), "task \(taskPID) outlived the run")
        #expect(result.stdout.contains("run 1 cancelled: \(c.reason)"), "\(result)")

        let show = try await cli.run(["show", "1", "--json"])
        let run = try #require(try show.json() as? [String: Any])
        #expect(run["status"] as? String == "cancelled")
        #expect((run["reason"] as? String)?.hasPrefix(c.reason) == true, "\(run["reason"] ?? "nil")")
        let tasks = try #require(run["tasks"] as? [[String: Any]])
        #expect(tasks.map { $0["status"] as? String } == ["cancelled", "cancelled", "cancelled"])
        let attempts = try #require(run["attempts"] as? [[String: Any]])
        #expect(attempts.map { $0["outcome"] as? String } == ["cancelled", "cancelled"])

        // How long stopping took, by the times the gnomon processes recorded (the kill's request,
        // or the moment the signal was sent, to the run's end): a store poll (250 ms) and a
        // SIGTERM, normally well under a second; the tasks would sleep for minutes.
        let finished = try #require((run["finished_at"] as? String).flatMap(ISOTime.parse))
        let requested = (run["cancel_requested_at"] as? String).flatMap(ISOTime.parse) ?? asked
        #expect(c.how != .killCommand || run["cancel_requested_at"] is String)
        let took = finished.timeIntervalSince(requested)
        #expect(took >= -0.01 && took < 3, "stopping took \(took) s")
    }
}
