import Foundation
import GnomonCore
import Testing

/// A continuous schedule's one rule, on human-readable times: the next fire time from the
/// previous run, the run going now, the last decided time and when the schedule was first seen.
@Suite
struct ContinuousScheduleTests {
    /// 2026-11-01T00:00:00Z plus `minutes`.
    static func t(_ minutes: Double) -> Date { Date(timeIntervalSince1970: 1_793_491_200 + minutes * 60) }

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let from: ContinuousAnchor
        var previous: PreviousRun? = nil
        var running: Int64? = nil
        var lastDecided: Date? = nil
        let expected: ContinuousNext
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no run yet: at once, when the schedule was first seen", from: .end, expected: .at(t(0))),
        Case(name: "from end: ten minutes after the previous run ended", from: .end,
             previous: PreviousRun(id: 1, started: t(5), ended: t(7)), expected: .at(t(17))),
        Case(name: "from start: ten minutes after the previous run started", from: .start,
             previous: PreviousRun(id: 1, started: t(5), ended: t(7)), expected: .at(t(15))),
        Case(name: "from end while a run runs: after it ends", from: .end,
             previous: PreviousRun(id: 4, started: t(5), ended: nil), running: 4, expected: .afterRunEnds(4)),
        Case(name: "from start while a run runs: the time comes anyway (overlap decides)", from: .start,
             previous: PreviousRun(id: 4, started: t(5), ended: nil), running: 4, expected: .at(t(15))),
        Case(name: "from start: a time skipped for overlap is not offered again at once", from: .start,
             previous: PreviousRun(id: 4, started: t(5), ended: nil), running: 4, lastDecided: t(15), expected: .at(t(25))),
        Case(name: "a paused time with no run: every after it", from: .end, lastDecided: t(0), expected: .at(t(10))),
        Case(name: "from end: a run not known to run yet unfinished counts from its start", from: .end,
             previous: PreviousRun(id: 2, started: t(3), ended: nil), expected: .at(t(13))),
        Case(name: "a run long ago: the time has passed (fires at once, once)", from: .end,
             previous: PreviousRun(id: 1, started: t(-600), ended: t(-590)), expected: .at(t(-580))),
    ]

    @Test(arguments: cases)
    func nextFireTime(_ c: Case) {
        let schedule = ContinuousSchedule(every: .seconds(600), from: c.from)
        #expect(schedule.nextFireTime(previous: c.previous, running: c.running, lastDecided: c.lastDecided, since: Self.t(0)) == c.expected)
    }

    @Test
    func theTimelineOffersOneTimeAfterDowntimeAndCountsFromTheRunItStarts() {
        let schedule = ContinuousSchedule(every: .seconds(600), from: .end)
        var timeline = ContinuousTimeline(schedule: schedule, since: Self.t(0),
                                          previous: PreviousRun(id: 1, started: Self.t(0), ended: Self.t(1)), lastDecided: Self.t(0))
        #expect(timeline.takeDue(now: Self.t(10), running: nil) == .none)
        #expect(timeline.takeDue(now: Self.t(11), running: nil) == .onTime(Self.t(11)))
        #expect(timeline.takeDue(now: Self.t(11), running: nil) == .none, "a decided time is not offered again")
        timeline.started(2, at: Self.t(11))
        #expect(timeline.next(running: 2) == .afterRunEnds(2))
        timeline.ended(2, at: Self.t(12))
        // Down for a day: one late time, then the next counts from the run it starts.
        #expect(timeline.takeDue(now: Self.t(1440), running: nil) == .late(Self.t(22)))
        #expect(timeline.takeDue(now: Self.t(1440), running: nil) == .none)
        timeline.started(3, at: Self.t(1440))
        timeline.ended(3, at: Self.t(1441))
        #expect(timeline.next(running: nil) == .at(Self.t(1451)))
        // An older run ending does not move the anchor; a recovered run keeps its first start.
        timeline.ended(2, at: Self.t(1445))
        timeline.started(3, at: Self.t(1500))
        #expect(timeline.next(running: nil) == .at(Self.t(1451)))
    }

    @Test
    func aScheduleSpecParsesAndChecksItsInterval() throws {
        let spec = ScheduleSpec(continuous: ContinuousSpec(every: .seconds(600), from: .start))
        #expect(spec.expression == "every 10m from start")
        #expect(try spec.parse().get().continuous == ContinuousSchedule(every: .seconds(600), from: .start))
        let short = ScheduleSpec(continuous: ContinuousSpec(every: .milliseconds(500), from: .end))
        #expect(throws: ScheduleProblem.self) { try short.parse().get() }
    }
}
