import Foundation
import GnomonCore
import GnomonEngine
import GnomonTesting
import Testing

/// `gnomon retry RUN`: a failed or cancelled run continues where it stopped.
@Suite("Continuing a run")
struct ContinueRunTests {
    @Test("a failed run continues: succeeded tasks stay, earlier attempts are kept, numbering goes on")
    func continueFailedRun() async throws {
        let home = try TemporaryHome()
        let marks = home.path("marks")
        let mark = "echo $GNOMON_TASK.$GNOMON_ATTEMPT >> '\(marks)'"
        let job = JobBuilder("etl", directory: home.jobs)
            .task("extract", run: mark)
            .task("transform", run: "\(mark); [ -f '\(home.path("fixed"))' ]",
                  dependsOn: ["extract"], retry: .quick(limit: 1, delay: duration("10ms")))
            .task("load", run: mark, dependsOn: ["transform"])
            .task("notify", run: mark, after: ["extract"])
            .build()
        let engine = try home.engine()
        let first = try await runToEnd(job, in: home, engine: engine)
        #expect(first.status == .failed)
        #expect(first.statuses == ["extract": .succeeded, "transform": .failed, "load": .skipped, "notify": .succeeded])
        #expect(first.outcomes("transform") == [.exited(code: 1), .exited(code: 1)])

        try home.write("", to: "fixed")
        let second = try await execute(try engine.prepareRetry(of: first.id), engine: engine)

        #expect(second.id == first.id)
        #expect(second.status == .succeeded)
        #expect(second.detail.summary.reason == nil)
        #expect(second.statuses == ["extract": .succeeded, "transform": .succeeded, "load": .succeeded, "notify": .succeeded])
        // extract and notify did not run again; transform's attempt 3 came after the first two.
        #expect(home.read("marks") == "extract.1\nnotify.1\ntransform.1\ntransform.2\ntransform.3\nload.1\n"
            || home.read("marks") == "extract.1\ntransform.1\nnotify.1\ntransform.2\ntransform.3\nload.1\n")
        #expect(second.detail.attempts(of: "transform").map(\.number) == [1, 2, 3])
        #expect(second.outcomes("transform") == [.exited(code: 1), .exited(code: 1), .exited(code: 0)])
        #expect(second.detail.attempts(of: "extract").count == 1)
        #expect(second.task("transform").attempts == 3)
        #expect(second.detail.attempts(of: "load").map(\.number) == [1])
    }

    @Test("a cancelled run continues with its cancelled tasks")
    func continueCancelledRun() async throws {
        let home = try TemporaryHome()
        let started = home.path("started")
        let job = JobBuilder("long", directory: home.jobs)
            .task("first", run: "true")
            .task("long", run: "if [ $GNOMON_ATTEMPT = 1 ]; then echo x > '\(started)'; sleep \(TestTiming.longSleep); fi", dependsOn: ["first"])
            .task("last", run: "true", dependsOn: ["long"])
            .build()
        let engine = try home.engine()
        let control = RunControl()
        let prepared = try engine.prepareNewRun(job: try job.validated(), trigger: .manual, scheduledAt: Date())
        let running = Task { try await execute(prepared, engine: engine, control: control) }
        _ = await ProcessProbe.waitForLine(in: started)
        control.cancel(reason: "stopped by the test")
        let first = try await running.value
        #expect(first.status == .cancelled)
        #expect(first.statuses == ["first": .succeeded, "long": .cancelled, "last": .cancelled])

        let second = try await execute(try engine.prepareRetry(of: first.id), engine: engine)
        #expect(second.status == .succeeded)
        #expect(second.outcomes("long") == [.cancelled, .exited(code: 0)])
        #expect(second.detail.attempts(of: "first").count == 1)
        // The earlier cancel request is not taken as one for the continued run.
        #expect(second.detail.summary.cancelReason == nil)
    }

    @Test("only failed or cancelled runs can be continued, and only recorded ones")
    func refusesOthers() async throws {
        let home = try TemporaryHome()
        let engine = try home.engine()
        let done = try await runToEnd(JobBuilder("ok", directory: home.jobs).task("t", run: "true").build(), in: home, engine: engine)
        #expect { _ = try engine.prepareRetry(of: done.id) } throws: {
            "\($0)" == "run \(done.id) is succeeded; only failed or cancelled runs can be retried"
        }
        #expect { _ = try engine.prepareRetry(of: 999) } throws: {
            "\($0)" == "run 999 not found; `gnomon runs` lists the recorded runs"
        }
    }
}
