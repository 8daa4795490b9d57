import Foundation
import Testing
@testable import GnomonCore

/// Daylight-saving changes, pinned as classic cron behaves (Docs/scheduling.md):
/// a fixed time in a skipped hour fires once at the end of the gap; a fixed time in a repeated hour
/// fires once, on its first pass; an hour field of `*` or a step follows real time.
struct CronDaylightSavingTests {
    // New York 2026: 02:00 EST becomes 03:00 EDT on 8 March; 02:00 EDT becomes 01:00 EST on 1 November.
    static let newYorkCases: [FireCase] = [
        FireCase("spring: 02:30 fires at 03:00 EDT, the first instant after the gap", "30 2 * * *",
                 zone: "America/New_York", after: "2026-03-08T01:59:00-05:00",
                 ["2026-03-08T03:00:00-04:00", "2026-03-09T02:30:00-04:00"]),
        FireCase("spring: 02:00 and 03:00 share 03:00 EDT and fire once", "0 2,3 * * *",
                 zone: "America/New_York", after: "2026-03-08T00:00:00-05:00",
                 ["2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00"]),
        FireCase("spring: every minute of the skipped hour fires once in all", "* 2 * * *",
                 zone: "America/New_York", after: "2026-03-08T01:00:00-05:00",
                 ["2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00", "2026-03-09T02:01:00-04:00"]),
        FireCase("spring: a time outside the gap is untouched", "30 3 * * *",
                 zone: "America/New_York", after: "2026-03-08T00:00:00-05:00",
                 ["2026-03-08T03:30:00-04:00", "2026-03-09T03:30:00-04:00"]),
        FireCase("spring: hourly follows real time and has no 02:00", "0 * * * *",
                 zone: "America/New_York", after: "2026-03-08T00:30:00-05:00",
                 ["2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00"]),
        FireCase("spring: a step in the hour follows real time", "30 */1 * * *",
                 zone: "America/New_York", after: "2026-03-08T01:00:00-05:00",
                 ["2026-03-08T01:30:00-05:00", "2026-03-08T03:30:00-04:00"]),
        FireCase("fall: 01:30 fires once, on the EDT pass", "30 1 * * *",
                 zone: "America/New_York", after: "2026-10-31T12:00:00-04:00",
                 ["2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"]),
        FireCase("fall: from between the passes, 01:30 EST does not fire", "30 1 * * *",
                 zone: "America/New_York", after: "2026-11-01T01:45:00-04:00",
                 ["2026-11-02T01:30:00-05:00"]),
        FireCase("fall: from inside the second pass, nothing repeats", "30 1 * * *",
                 zone: "America/New_York", after: "2026-11-01T01:10:00-05:00",
                 ["2026-11-02T01:30:00-05:00"]),
        FireCase("fall: a fixed hour with a minute step runs the first pass only", "*/20 1 * * *",
                 zone: "America/New_York", after: "2026-11-01T00:00:00-04:00",
                 ["2026-11-01T01:00:00-04:00", "2026-11-01T01:20:00-04:00", "2026-11-01T01:40:00-04:00",
                  "2026-11-02T01:00:00-05:00"]),
        FireCase("fall: hourly fires in both passes", "0 * * * *",
                 zone: "America/New_York", after: "2026-11-01T00:30:00-04:00",
                 ["2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"]),
        FireCase("fall: a time after the repeated hour fires once", "0 2 * * *",
                 zone: "America/New_York", after: "2026-11-01T00:00:00-04:00",
                 ["2026-11-01T02:00:00-05:00", "2026-11-02T02:00:00-05:00"]),
        FireCase("first Monday 09:00 keeps local time across the change", "0 9 * * mon#1",
                 zone: "America/New_York", after: "2026-02-01T00:00:00-05:00",
                 ["2026-02-02T09:00:00-05:00", "2026-03-02T09:00:00-05:00", "2026-04-06T09:00:00-04:00"]),
    ]

    // London 2026: 01:00 GMT becomes 02:00 BST on 29 March; 02:00 BST becomes 01:00 GMT on 25 October.
    static let londonCases: [FireCase] = [
        FireCase("spring: 01:30 fires at 02:00 BST", "30 1 * * *",
                 zone: "Europe/London", after: "2026-03-28T12:00:00Z",
                 ["2026-03-29T02:00:00+01:00", "2026-03-30T01:30:00+01:00"]),
        FireCase("spring: weekday 02:30 is not in the gap", "30 2 * * 1-5",
                 zone: "Europe/London", after: "2026-03-27T12:00:00Z",
                 ["2026-03-30T02:30:00+01:00", "2026-03-31T02:30:00+01:00"]),
        FireCase("fall: 01:30 fires once, on the BST pass", "30 1 * * *",
                 zone: "Europe/London", after: "2026-10-24T12:00:00+01:00",
                 ["2026-10-25T01:30:00+01:00", "2026-10-26T01:30:00Z"]),
        FireCase("fall: hourly fires in both passes", "0 * * * *",
                 zone: "Europe/London", after: "2026-10-24T23:30:00+01:00",
                 ["2026-10-25T00:00:00+01:00", "2026-10-25T01:00:00+01:00", "2026-10-25T01:00:00Z",
                  "2026-10-25T02:00:00Z"]),
    ]

    // Lord Howe 2026: a 30-minute shift. 02:00 +11:00 becomes 01:30 +10:30 on 5 April;
    // 02:00 +10:30 becomes 02:30 +11:00 on 4 October.
    static let lordHoweCases: [FireCase] = [
        FireCase("spring: 02:15 is skipped and fires at 02:30", "15 2 * * *",
                 zone: "Australia/Lord_Howe", after: "2026-10-03T12:00:00+10:30",
                 ["2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"]),
        FireCase("spring: 02:45 exists and is untouched", "45 2 * * *",
                 zone: "Australia/Lord_Howe", after: "2026-10-03T12:00:00+10:30",
                 ["2026-10-04T02:45:00+11:00"]),
        FireCase("fall: 01:45 fires on its first pass only", "45 1 * * *",
                 zone: "Australia/Lord_Howe", after: "2026-04-04T12:00:00+11:00",
                 ["2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"]),
        FireCase("fall: 01:15 is before the repeated half hour", "15 1 * * *",
                 zone: "Australia/Lord_Howe", after: "2026-04-04T12:00:00+11:00",
                 ["2026-04-05T01:15:00+11:00", "2026-04-06T01:15:00+10:30"]),
        FireCase("fall: every half hour follows real time through the repeat", "*/30 * * * *",
                 zone: "Australia/Lord_Howe", after: "2026-04-05T01:00:00+11:00",
                 ["2026-04-05T01:30:00+11:00", "2026-04-05T01:30:00+10:30", "2026-04-05T02:00:00+10:30"]),
    ]

    // Zones whose changes skip midnight or a whole day.
    static let elsewhereCases: [FireCase] = [
        FireCase("Santiago skips midnight: @daily fires at 01:00", "@daily",
                 zone: "America/Santiago", after: "2026-09-05T12:00:00-04:00",
                 ["2026-09-06T01:00:00-03:00", "2026-09-07T00:00:00-03:00"]),
        FireCase("Santiago repeats 23:00: 23:30 fires on the first pass", "30 23 * * *",
                 zone: "America/Santiago", after: "2026-04-04T12:00:00-03:00",
                 ["2026-04-04T23:30:00-03:00", "2026-04-05T23:30:00-04:00"]),
        FireCase("Apia skipped 30 December 2011: noon fires at the start of the 31st", "0 12 * * *",
                 zone: "Pacific/Apia", after: "2011-12-29T13:00:00-10:00",
                 ["2011-12-31T00:00:00+14:00", "2011-12-31T12:00:00+14:00"]),
    ]

    @Test(arguments: newYorkCases) func newYork(_ c: FireCase) throws { try check(c) }
    @Test(arguments: londonCases) func london(_ c: FireCase) throws { try check(c) }
    @Test(arguments: lordHoweCases) func lordHowe(_ c: FireCase) throws { try check(c) }
    @Test(arguments: elsewhereCases) func elsewhere(_ c: FireCase) throws { try check(c) }

    private func check(_ c: FireCase) throws {
        #expect(try CronTestSupport.fires(c.expression, c.zone, after: c.after, count: c.expected.count) == c.expected)
    }
}
