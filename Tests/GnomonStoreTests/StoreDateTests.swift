import Foundation
import Testing
@testable import GnomonStore

@Suite("Stored dates")
struct StoreDateTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let seconds: Double
        let database: String
        let json: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        Case(name: "the epoch", seconds: 0, database: "1970-01-01T00:00:00.000Z", json: "1970-01-01T00:00:00Z"),
        Case(name: "a whole second", seconds: 1_714_564_800,
             database: "2024-05-01T12:00:00.000Z", json: "2024-05-01T12:00:00Z"),
        Case(name: "milliseconds kept", seconds: 1_714_564_800.123,
             database: "2024-05-01T12:00:00.123Z", json: "2024-05-01T12:00:00.123Z"),
        Case(name: "sub-millisecond rounded", seconds: 1_714_564_800.1236,
             database: "2024-05-01T12:00:00.124Z", json: "2024-05-01T12:00:00.124Z"),
        Case(name: "rounding carries into the next second", seconds: 1_714_564_800.9996,
             database: "2024-05-01T12:00:01.000Z", json: "2024-05-01T12:00:01Z"),
        Case(name: "leap day", seconds: 1_709_208_000, database: "2024-02-29T12:00:00.000Z", json: "2024-02-29T12:00:00Z"),
        Case(name: "before the epoch", seconds: -1.5, database: "1969-12-31T23:59:58.500Z", json: "1969-12-31T23:59:58.500Z"),
        Case(name: "end of a century year", seconds: 4_107_542_399,
             database: "2100-02-28T23:59:59.000Z", json: "2100-02-28T23:59:59Z"),
        Case(name: "the last millisecond of year 9999", seconds: 253_402_300_799.999,
             database: "9999-12-31T23:59:59.999Z", json: "9999-12-31T23:59:59.999Z"),
        Case(name: "milliseconds with zeros inside", seconds: 1_714_564_800.007,
             database: "2024-05-01T12:00:00.007Z", json: "2024-05-01T12:00:00.007Z"),
    ])
    func formatsAndParses(_ c: Case) {
        let date = Date(timeIntervalSince1970: c.seconds)
        #expect(StoreDate.databaseText(date) == c.database)
        #expect(StoreDate.jsonText(date) == c.json)
        #expect(StoreDate.parse(c.database) == StoreDate.rounded(date))
        #expect(StoreDate.parse(c.json) == StoreDate.rounded(date))
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        var testDescription: String { name }
    }

    @Test(arguments: [
        BadCase(name: "no time zone", text: "2024-05-01T12:00:00"),
        BadCase(name: "an offset instead of Z", text: "2024-05-01T12:00:00+02:00"),
        BadCase(name: "month 13", text: "2024-13-01T12:00:00Z"),
        BadCase(name: "letters", text: "2024-05-0xT12:00:00Z"),
        BadCase(name: "a dot with no digits", text: "2024-05-01T12:00:00.Z"),
        BadCase(name: "empty", text: ""),
    ])
    func rejectsMalformedText(_ c: BadCase) {
        #expect(StoreDate.parse(c.text) == nil)
    }

    @Test("database text sorts in time order")
    func databaseTextSorts() {
        let dates = [-86_400.0, 0, 0.001, 0.5, 1, 59.999, 1_714_564_800, 1_714_564_800.001]
            .map { Date(timeIntervalSince1970: $0) }
        let texts = dates.map(StoreDate.databaseText)
        #expect(texts == texts.sorted())
    }
}
