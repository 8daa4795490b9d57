import Foundation
import GnomonCore
import Testing

/// Which of a job's runs are outside its `keep:` policy at a given time, and why some outside it
/// are kept anyway.
@Suite("Retention")
struct RetentionTests {
    /// 2027-01-15T08:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// A run as a case states it: its id, how many days before `now` it ended (nil: not ended),
    /// and whether its alerts are still pending.
    struct Run: Sendable {
        let id: Int64
        let endedDaysAgo: Double?
        let status: RunStatus
        let alertsPending: Bool

        init(_ id: Int64, ended daysAgo: Double?, _ status: RunStatus = .succeeded, alertsPending: Bool = false) {
            (self.id, self.endedDaysAgo, self.status, self.alertsPending) = (id, daysAgo, status, alertsPending)
        }

        var retained: RetainedRun {
            RetainedRun(id: id, status: status, finishedAt: endedDaysAgo.map { RetentionTests.now.addingTimeInterval(-$0 * 86_400) },
                        alertsPending: alertsPending)
        }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let policy: RetentionPolicy
        let runs: [Run]
        var newerRuns = 0
        /// The verdict of every run, by id; runs not named are kept.
        let outside: [Int64: RetentionVerdict]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a history inside both limits keeps everything",
             policy: RetentionPolicy(runs: 5, days: 30),
             runs: [Run(1, ended: 3), Run(2, ended: 2), Run(3, ended: 1)],
             outside: [:]),
        Case(name: "beyond the count the oldest go, whatever their age",
             policy: RetentionPolicy(runs: 2, days: 30),
             runs: [Run(1, ended: 3), Run(2, ended: 2), Run(3, ended: 1), Run(4, ended: 0.5)],
             outside: [1: .prune(.beyondCount(2)), 2: .prune(.beyondCount(2))]),
        Case(name: "runs that ended longer ago than days go, even under the count",
             policy: RetentionPolicy(runs: 1_000, days: 7),
             runs: [Run(1, ended: 10), Run(2, ended: 7.5), Run(3, ended: 6.9), Run(4, ended: 0)],
             outside: [1: .prune(.olderThan(days: 7)), 2: .prune(.olderThan(days: 7))]),
        Case(name: "the order given does not matter: the newest ids are the ones kept",
             policy: RetentionPolicy(runs: 2, days: 30),
             runs: [Run(4, ended: 0.5), Run(1, ended: 3), Run(3, ended: 1), Run(2, ended: 2)],
             outside: [1: .prune(.beyondCount(2)), 2: .prune(.beyondCount(2))]),
        Case(name: "a running or queued run is never pruned, and still counts toward the newest",
             policy: RetentionPolicy(runs: 1, days: 30),
             runs: [Run(1, ended: nil, .running), Run(2, ended: nil, .queued), Run(3, ended: 1)],
             outside: [1: .hold(.unfinished), 2: .hold(.unfinished)]),
        Case(name: "a run ended long ago whose alerts are not yet delivered is held",
             policy: RetentionPolicy(runs: 10, days: 1),
             runs: [Run(1, ended: 5, .failed, alertsPending: true), Run(2, ended: 5, .failed), Run(3, ended: 0)],
             outside: [1: .hold(.alertsPending), 2: .prune(.olderThan(days: 1))]),
        Case(name: "pending alerts of a run inside the policy change nothing",
             policy: RetentionPolicy(runs: 10, days: 30),
             runs: [Run(1, ended: 1, .failed, alertsPending: true)],
             outside: [:]),
        Case(name: "a window of the oldest runs counts the newer runs not listed",
             policy: RetentionPolicy(runs: 3, days: 30),
             runs: [Run(10, ended: 1), Run(11, ended: 1), Run(12, ended: 1)], newerRuns: 1,
             outside: [10: .prune(.beyondCount(3))]),
        Case(name: "a window with at least `runs` newer runs is all beyond the count",
             policy: RetentionPolicy(runs: 3, days: 30),
             runs: [Run(10, ended: 1), Run(11, ended: 1)], newerRuns: 3,
             outside: [10: .prune(.beyondCount(3)), 11: .prune(.beyondCount(3))]),
        Case(name: "a run ended exactly `days` ago is still kept",
             policy: RetentionPolicy(runs: 10, days: 2),
             runs: [Run(1, ended: 2), Run(2, ended: 2.0001)],
             outside: [2: .prune(.olderThan(days: 2))]),
        Case(name: "no runs, no verdicts",
             policy: RetentionPolicy.standard, runs: [], outside: [:]),
    ]

    @Test(arguments: cases)
    func verdicts(_ c: Case) {
        let verdicts = Retention.verdicts(c.runs.map(\.retained), newerRuns: c.newerRuns, policy: c.policy, now: Self.now)
        #expect(Set(verdicts.keys) == Set(c.runs.map(\.id)))
        for run in c.runs {
            #expect(verdicts[run.id] == (c.outside[run.id] ?? .keep), "run \(run.id)")
        }
    }

    struct Layer: Sendable, CustomTestStringConvertible {
        let name: String
        let settings: KeepSpec?
        let job: KeepSpec?
        let expected: RetentionPolicy
        var testDescription: String { name }
    }

    static let layers: [Layer] = [
        Layer(name: "nothing written: 1,000 runs and 90 days", settings: nil, job: nil, expected: RetentionPolicy(runs: 1_000, days: 90)),
        Layer(name: "the settings file's keep for every job", settings: KeepSpec(runs: 50, days: 7), job: nil,
              expected: RetentionPolicy(runs: 50, days: 7)),
        Layer(name: "a job's keep over the settings file's", settings: KeepSpec(runs: 50, days: 7), job: KeepSpec(runs: 5, days: 1),
              expected: RetentionPolicy(runs: 5, days: 1)),
        Layer(name: "a key the job leaves out comes from the settings file", settings: KeepSpec(runs: 50, days: 7),
              job: KeepSpec(runs: 5), expected: RetentionPolicy(runs: 5, days: 7)),
        Layer(name: "a key both leave out comes from the default", settings: KeepSpec(days: 7), job: KeepSpec(days: 3),
              expected: RetentionPolicy(runs: 1_000, days: 3)),
    ]

    @Test(arguments: layers)
    func policyLayers(_ layer: Layer) {
        let settings = GnomonSettings(keep: layer.settings)
        let job = JobSpec(name: "etl", tasks: [], directory: "/srv/jobs", keep: layer.job)
        #expect(settings.retention(for: job) == layer.expected)
    }
}
