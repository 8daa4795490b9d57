import Foundation
import GnomonApp
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// What `gnomon jobs` and `gnomon next` say about a continuous schedule, from the job's newest
/// run in the store: at once with no run, `every` after its end, or the run it waits for.
@Suite("continuous schedules in gnomon jobs and gnomon next")
struct ContinuousListingTests {
    static let now = ISOTime.parse("2026-11-10T12:00:00Z")!

    @Test
    func theNextTimeFollowsTheNewestRun() async throws {
        let b = try Bench()
        _ = try b.home.writeJob("loop", "schedule: { every: 10m, from: end }\ntasks:\n  a: { run: \"true\" }\n")
        // No run yet: it fires at once when the daemon sees it.
        let first = try NextTimes.compute(job: "loop", cron: nil, timeZone: nil, after: nil, count: 5, settings: b.settings, now: Self.now)
        #expect(try first.render(json: false) == "2026-11-10T12:00:00Z")

        // A run that ended at 11:55: ten minutes later.
        let store = try GnomonStore.open(home: b.home.home)
        try HistoryWriter(store: store, home: b.home.home).write(job: "loop", count: 1, firstEnd: try #require(ISOTime.parse("2026-11-10T11:55:00Z")))
        let next = try NextTimes.compute(job: "loop", cron: nil, timeZone: nil, after: nil, count: 5, settings: b.settings, now: Self.now)
        #expect(try next.render(json: false) == "2026-11-10T12:05:00Z")
        let listing = try JobListing.load(settings: b.settings, now: Self.now)
        let row = try #require(listing.rows.first { $0.name == "loop" })
        #expect(row.schedule == "every 10m from end" && row.nextFireTime == "2026-11-10T12:05:00Z", "\(row)")

        // A run going: the next time waits for its end.
        let running = try store.createRun(NewRun(
            job: "loop", trigger: .manual, scheduledAt: Self.now, createdAt: Self.now, status: .running,
            snapshot: JobSpec(name: "loop", tasks: [TaskSpec(name: "a", action: .shell("true"))], directory: b.home.home),
            runnerPID: 4242, runnerInstance: "test", tasks: [NewTask(name: "a")]))
        let waiting = try NextTimes.compute(job: "loop", cron: nil, timeZone: nil, after: nil, count: 5, settings: b.settings, now: Self.now)
        #expect(try waiting.render(json: false) == "after run \(running) ends")
        #expect(try waiting.render(json: true).filter { !$0.isWhitespace } == "[]")
        let table = try JobListing.load(settings: b.settings, now: Self.now)
        #expect(table.rows.first { $0.name == "loop" }?.nextFireTime == nil)
        #expect(try table.render(json: false).contains("after run \(running) ends"))
    }
}
