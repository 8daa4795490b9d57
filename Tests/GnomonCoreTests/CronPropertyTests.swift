import Foundation
import Testing
@testable import GnomonCore

/// Properties checked over many steps and against a brute-force oracle that walks every minute
/// with Foundation's own offsets, independent of the engine's offset table and search.
struct CronPropertyTests {
    static let zones = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "America/Santiago",
                        "Asia/Tokyo", "UTC"]
    static let expressions = ["*/7 * * * *", "30 2 * * *", "0 1-3 * * *", "* 1 * * *", "0 */2 * * *",
                              "15,45 0-3 * * 0", "0 0 * * *", "*/20 1,2 * * *", "0 0 L * *"]

    /// Every fire time the engine's rules allow in `[from, to)`, found by walking every minute:
    /// an expression following real time fires wherever the local time matches; any other fires at
    /// the first instant that reaches a matching wall time (or jumps past one, in a gap), once.
    static func oracle(_ expression: CronExpression, _ zone: TimeZone, from: Int64, to: Int64) -> [Int64] {
        var fires: [Int64] = []
        var latestWall = Int64.min
        for instant in stride(from: from, to: to, by: 60) {
            let wall = instant + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant))))
            if expression.followsRealTime {
                if expression.matches(wall: wall) { fires.append(instant) }
                continue
            }
            guard wall > latestWall else { continue }
            let firstNew = latestWall == .min ? wall : (CivilDate.floorDivide(latestWall, 60) + 1) * 60
            if stride(from: firstNew, through: wall, by: 60).contains(where: expression.matches(wall:)) {
                fires.append(instant)
            }
            latestWall = wall
        }
        return fires
    }

    struct Window: CustomTestStringConvertible, Sendable {
        let zone: String
        let expression: String
        var testDescription: String { "\(expression) in \(zone)" }
    }

    static var windows: [Window] {
        zones.flatMap { zone in expressions.map { Window(zone: zone, expression: $0) } }
    }

    /// Four days around each of the zone's changes in 2026 (or the first week of March without one):
    /// successive `next` calls give exactly the oracle's times, and `next` from arbitrary instants
    /// gives the oracle's first time after them.
    @Test(arguments: windows)
    func matchesTheOracleAroundEachChange(_ w: Window) throws {
        let zone = CronTestSupport.zone(w.zone)
        let expression = try CronExpression.parse(w.expression).get()
        let schedule = CronSchedule(expression: expression, timeZone: zone)
        var centres: [Int64] = []
        var cursor = CronTestSupport.instant("2026-01-01T00:00:00Z")
        while let change = zone.nextDaylightSavingTimeTransition(after: cursor),
              change < CronTestSupport.instant("2027-01-01T00:00:00Z") {
            centres.append(Int64(change.timeIntervalSince1970))
            cursor = change
        }
        if centres.isEmpty { centres = [Int64(CronTestSupport.instant("2026-03-04T00:00:00Z").timeIntervalSince1970)] }
        for centre in centres {
            let from = (centre / 86_400 - 2) * 86_400, to = from + 4 * 86_400
            let expected = Self.oracle(expression, zone, from: from, to: to)
            var got: [Int64] = []
            var after = Date(timeIntervalSince1970: Double(from - 1))
            while let next = schedule.next(after: after), next.timeIntervalSince1970 < Double(to) {
                got.append(Int64(next.timeIntervalSince1970))
                after = next
            }
            #expect(got == expected, "window around \(CronTestSupport.text(Date(timeIntervalSince1970: Double(centre)), in: zone))")
            // From arbitrary instants (not on minute boundaries), next is the oracle's next.
            for probe in stride(from: from, to: to - 86_400, by: 997) {
                let want = expected.first { $0 > probe }
                let next = schedule.next(after: Date(timeIntervalSince1970: Double(probe)))
                guard let want else { break }
                #expect(next.map { Int64($0.timeIntervalSince1970) } == want,
                        "from \(CronTestSupport.text(Date(timeIntervalSince1970: Double(probe)), in: zone))")
            }
        }
    }

    /// Thousands of successive fire times are strictly increasing (so no instant is returned twice),
    /// and asking from just before a fire time returns that fire time.
    @Test(arguments: windows)
    func successiveTimesStrictlyIncrease(_ w: Window) throws {
        let schedule = try CronTestSupport.schedule(w.expression, w.zone)
        let times = schedule.nextTimes(after: CronTestSupport.instant("2025-12-01T00:00:00Z"), count: 3000)
        #expect(times.count == 3000)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        #expect(Set(times).count == times.count)
        for time in times.prefix(500) {
            #expect(schedule.next(after: time.addingTimeInterval(-1)) == time)
        }
    }

    /// The search is bounded: a rare expression far ahead still answers, and an instant near the
    /// end of the supported range answers without looping.
    @Test func searchesAreBounded() throws {
        let rare = try CronTestSupport.schedule("0 0 * 2 1#5", "America/New_York")
        let next = try #require(rare.next(after: CronTestSupport.instant("2044-03-01T00:00:00Z")))
        #expect(CronTestSupport.text(next, in: CronTestSupport.zone("America/New_York")) == "2072-02-29T00:00:00-05:00")
        let far = Date(timeIntervalSince1970: CronSchedule.supportedRange - 1)
        #expect(try CronTestSupport.schedule("0 0 29 2 *").next(after: far) == nil)
        for expression in ["0 * * * *", "30 2 * * *"] {
            let schedule = try CronTestSupport.schedule(expression, "America/New_York")
            #expect(schedule.next(after: .distantFuture).map { $0 > .distantFuture } == true)
            #expect(schedule.next(after: .distantPast).map { $0 > .distantPast } == true)
        }
    }

    /// Copies of one schedule share its zone's offset table; using them from many tasks at once
    /// gives the same answers as using one alone.
    @Test func concurrentUseAgrees() async throws {
        let schedule = try CronTestSupport.schedule("30 1 * * *", "Europe/London")
        let start = CronTestSupport.instant("2020-01-01T00:00:00Z")
        let alone = try CronTestSupport.schedule("30 1 * * *", "Europe/London").nextTimes(after: start, count: 2000)
        let results = await withTaskGroup(of: [Date].self) { group in
            for _ in 0..<8 { group.addTask { schedule.nextTimes(after: start, count: 2000) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 8)
        #expect(results.allSatisfy { $0 == alone })
    }
}
