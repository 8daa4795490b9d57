import Foundation
import GnomonApp
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// `gnomon backfill --dry-run`: a month of a daily job, the fire times that have a succeeded run
/// left out (and run again when asked), and every refusal with its message and exit status.
@Suite("gnomon backfill --dry-run")
struct BackfillPlanTests {
    static let daily = "schedule: \"0 2 * * *\"\ntasks:\n  extract: { run: \"true\" }\n  load: { run: \"true\", depends_on: [extract] }\n"

    @Test
    func aMonthOfADailyJobListsThirtyTimesLessThoseThatSucceeded() async throws {
        let b = try Bench()
        _ = try b.home.writeJob("daily", Self.daily)
        let plan = try BackfillPlan.make(job: "daily", from: "2026-11-01", to: "2026-11-30", rerunSucceeded: false, settings: b.settings)
        #expect(plan.times.count == 30)
        #expect(plan.times.first.map(ISOTime.utc) == "2026-11-01T02:00:00Z")
        #expect(plan.times.last.map(ISOTime.utc) == "2026-11-30T02:00:00Z")
        let text = try plan.render(json: false).split(separator: "\n")
        #expect(text.count == 30 && text.first == "2026-11-01T02:00:00Z")

        // Two days that have a succeeded run (a manual one: any trigger counts) are left out.
        let store = try GnomonStore.open(home: b.home.home)
        let writer = HistoryWriter(store: store, home: b.home.home)
        for day in ["2026-11-05T02:00:01Z", "2026-11-06T02:00:01Z"] {
            try writer.write(job: "daily", count: 1, firstEnd: try #require(ISOTime.parse(day)))
        }
        let left = try BackfillPlan.make(job: "daily", from: "2026-11-01", to: "2026-11-30", rerunSucceeded: false, settings: b.settings)
        #expect(left.times.count == 28)
        #expect(left.succeeded.map(ISOTime.utc) == ["2026-11-05T02:00:00Z", "2026-11-06T02:00:00Z"])
        #expect(try left.render(json: false).hasSuffix("(2 fire times left out: they have a succeeded run; --rerun-succeeded runs them again)"))
        let again = try BackfillPlan.make(job: "daily", from: "2026-11-01", to: "2026-11-30", rerunSucceeded: true, settings: b.settings)
        #expect(again.times.count == 30 && again.succeeded.isEmpty)
        let json = try JSONSerialization.jsonObject(with: Data(try left.render(json: true).utf8)) as? [String: Any]
        #expect((json?["times"] as? [String])?.count == 28 && (json?["succeeded"] as? [String])?.count == 2, "\(String(describing: json))")
    }

    struct Refusal: CustomTestStringConvertible, Sendable {
        let name: String
        let job: String
        var from = "2026-11-01"
        var to = "2026-11-30"
        var tasks: [String] = []
        let status: CommandExit
        let message: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "a reversed range", job: "daily", from: "2026-11-30", to: "2026-11-01", status: .usage,
                message: "the range is reversed: --from 2026-11-30 is after --to 2026-11-01"),
        Refusal(name: "a range with no fire time (a Monday job on a Sunday)", job: "mondays", from: "2026-11-01", to: "2026-11-01",
                status: .usage, message: "\"0 2 * * 1\" (UTC) has no fire time from 2026-11-01 through 2026-11-01"),
        Refusal(name: "a day that is not a date", job: "daily", from: "2026-11-31", status: .usage,
                message: "--from 2026-11-31 is not a date; write it as 2026-11-01"),
        Refusal(name: "a continuous schedule", job: "loop", status: .failure,
                message: "job loop has a continuous schedule (every 10m from end): its fire times follow its own runs, so there are none in the past to backfill"),
        Refusal(name: "a job without a schedule", job: "ok", status: .failure,
                message: "job ok has no schedule, so it has no fire times to backfill"),
        Refusal(name: "an unknown task", job: "daily", tasks: ["lod"], status: .notFound, message: "lod"),
    ]

    @Test(arguments: refusals)
    func refuses(_ c: Refusal) async throws {
        let b = try Bench()
        _ = try b.home.writeJob("daily", Self.daily)
        _ = try b.home.writeJob("mondays", "schedule: \"0 2 * * 1\"\ntasks:\n  a: { run: \"true\" }\n")
        _ = try b.home.writeJob("loop", "schedule: { every: 10m, from: end }\ntasks:\n  a: { run: \"true\" }\n")
        let outcome = await b.outcome {
            (.success, try BackfillPlan.make(job: c.job, from: c.from, to: c.to, rerunSucceeded: false, tasks: c.tasks, settings: b.settings)
                .render(json: false))
        }
        #expect(outcome.status == c.status, "\(outcome)")
        #expect(outcome.text.contains(c.message), "\(outcome)")
    }
}
