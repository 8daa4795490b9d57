import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// Overlap policies on a manual clock: an every-second job whose runs last until the test
/// releases them, so a run is still going at the next fire time exactly when a case says so.
@Suite(.timeLimit(.minutes(2)))
struct DaemonOverlapTests {
    enum Step: Sendable {
        /// The clock moves to the next second, the runs going on.
        case fire
        /// The oldest unfinished run ends (its task exits 0); the daemon handles its end.
        case release
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let policy: String
        let steps: [Step]
        /// Every tick, in the order recorded.
        let ticks: [Decision]
        /// Text some tick's detail holds.
        let details: [String]
        let runs: Int
        /// Whether runs went side by side; nil for `replace`, whose cancelled run ends while the
        /// new one starts.
        let overlapping: Bool?
        /// A run cancelled with this in its reason.
        var cancelled: String? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "skip: a time while a run is going is skipped, naming the run",
             policy: "skip", steps: [.fire, .fire, .release, .fire],
             ticks: [.init(1, .started), .init(2, .skippedOverlap), .init(3, .started)],
             details: ["overlap skip: run 1 still running"], runs: 2, overlapping: false),
        Case(name: "queue: one run waits for the running one, later times are skipped",
             policy: "queue", steps: [.fire, .fire, .fire, .release, .release, .fire],
             ticks: [.init(1, .started), .init(2, .queued), .init(3, .skippedOverlap), .init(2, .started), .init(4, .started)],
             details: ["overlap queue: starts when run 1 ends", "was queued behind an earlier run"],
             runs: 3, overlapping: false),
        Case(name: "replace: the running run is cancelled and the new one starts at once",
             policy: "replace", steps: [.fire, .fire],
             ticks: [.init(1, .started), .init(2, .replaced)],
             details: ["cancelled run 1"], runs: 2, overlapping: nil,
             cancelled: "replaced by the run for 2027-01-15T08:00:02Z (overlap replace)"),
        Case(name: "allow: runs go side by side",
             policy: "allow", steps: [.fire, .fire, .fire, .fire],
             ticks: [.init(1, .started), .init(2, .started), .init(3, .started), .init(4, .started)],
             details: [], runs: 4, overlapping: true),
    ]

    @Test(arguments: cases)
    func overlap(_ c: Case) async throws {
        let d = try ClockedDaemon()
        try d.write(job: "o", """
            schedule: "@every 1s"
            overlap: \(c.policy)
            tasks:
              a: { run: "until [ -e \(d.root)/release-$GNOMON_RUN_ID ]; do sleep 0.01; done" }
            """)
        try await d.start()
        for step in c.steps {
            switch step {
            case .fire:
                try await d.advance(by: 1, runsEnd: false)
            case .release:
                let run = try #require(try d.runs(of: "o").first { !$0.summary.status.isFinished })
                FileManager.default.createFile(atPath: "\(d.root)/release-\(run.id)", contents: nil)
                try await d.waitUntilEnded(run.id)
            }
        }
        #expect(try d.decisions("o") == c.ticks, "\(d.logs.text)")
        let details = try d.ticks("o").compactMap(\.detail)
        for detail in c.details {
            #expect(details.contains { $0.contains(detail) }, "no tick says \"\(detail)\": \(details)")
        }
        let runs = try d.runs(of: "o")
        #expect(runs.count == c.runs)
        if let overlapping = c.overlapping { #expect(Self.overlapping(runs) == overlapping) }
        // After the shutdown every run has ended or been drained, a replaced one recorded cancelled.
        try await d.stop()
        let stopped = try d.runs(of: "o").filter { $0.summary.status == .cancelled }
        if let reason = c.cancelled {
            #expect(stopped.map(\.summary.reason) == [reason], "\(stopped.map(\.summary))")
        } else {
            #expect(stopped.isEmpty, "\(stopped.map(\.summary))")
        }
    }

    /// Whether two runs were going at the same time (a run not finished goes on for ever).
    static func overlapping(_ runs: [RunDetail]) -> Bool {
        let spans = runs.compactMap { run -> (Date, Date)? in
            guard let start = run.summary.startedAt else { return nil }
            return (start, run.summary.finishedAt ?? .distantFuture)
        }.sorted { $0.0 < $1.0 }
        return zip(spans, spans.dropFirst()).contains { $1.0 < $0.1 }
    }
}
