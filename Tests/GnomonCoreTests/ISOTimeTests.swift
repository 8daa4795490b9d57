import Foundation
import GnomonCore
import Testing

struct ISOTimeCase: CustomTestStringConvertible, Sendable {
    let name: String
    let seconds: Double
    let zone: String
    let text: String
    var testDescription: String { name }
}

@Test(arguments: [
    ISOTimeCase(name: "UTC whole second", seconds: 1_795_660_200, zone: "UTC", text: "2026-11-26T02:30:00Z"),
    ISOTimeCase(name: "milliseconds rounded, not truncated", seconds: 1_795_660_200.123, zone: "UTC", text: "2026-11-26T02:30:00.123Z"),
    ISOTimeCase(name: "New York summer offset", seconds: 1_772_953_200, zone: "America/New_York", text: "2026-03-08T03:00:00-04:00"),
    ISOTimeCase(name: "a half-hour zone", seconds: 1_767_238_200, zone: "Asia/Kolkata", text: "2026-01-01T09:00:00+05:30"),
    ISOTimeCase(name: "before 1970", seconds: -86_400.5, zone: "UTC", text: "1969-12-30T23:59:59.500Z"),
    ISOTimeCase(name: "a leap day", seconds: 1_835_395_200, zone: "UTC", text: "2028-02-29T00:00:00Z"),
])
func isoTimeFormatting(_ c: ISOTimeCase) {
    let date = Date(timeIntervalSince1970: c.seconds)
    #expect(ISOTime.format(date, zone: TimeZone(identifier: c.zone)!) == c.text)
    #expect(ISOTime.parse(c.text).map { abs($0.timeIntervalSince(date)) < 0.001 } == true)
}

struct ISOParseCase: CustomTestStringConvertible, Sendable {
    let name: String
    let text: String
    /// Seconds since 1970 it reads as; nil when it must be refused.
    let seconds: Double?
    var allowingOffset = true
    var testDescription: String { name }
}

/// The one ISO 8601 reader: what `--after`, `--since` and the store accept.
@Test(arguments: [
    ISOParseCase(name: "UTC", text: "2026-11-26T02:30:00Z", seconds: 1_795_660_200),
    ISOParseCase(name: "a space instead of T", text: "2026-11-26 02:30:00Z", seconds: 1_795_660_200),
    ISOParseCase(name: "milliseconds", text: "2026-11-26T02:30:00.123Z", seconds: 1_795_660_200.123),
    ISOParseCase(name: "microseconds rounded to the millisecond", text: "2026-11-26T02:30:00.1236Z", seconds: 1_795_660_200.124),
    ISOParseCase(name: "a negative offset", text: "2026-11-25T21:30:00-05:00", seconds: 1_795_660_200),
    ISOParseCase(name: "a positive offset without a colon", text: "2026-11-26T08:00:00+0530", seconds: 1_795_660_200),
    ISOParseCase(name: "a leap day", text: "2028-02-29T00:00:00Z", seconds: 1_835_395_200),
    ISOParseCase(name: "an offset where only UTC is read", text: "2026-11-26T02:30:00+01:00", seconds: nil, allowingOffset: false),
    ISOParseCase(name: "no zone", text: "2026-11-26T02:30:00", seconds: nil),
    ISOParseCase(name: "a date alone", text: "2026-11-26", seconds: nil),
    ISOParseCase(name: "February 30", text: "2026-02-30T00:00:00Z", seconds: nil),
    ISOParseCase(name: "February 29 of a common year", text: "2026-02-29T00:00:00Z", seconds: nil),
    ISOParseCase(name: "month 13", text: "2026-13-01T00:00:00Z", seconds: nil),
    ISOParseCase(name: "hour 24", text: "2026-11-26T24:00:00Z", seconds: nil),
    ISOParseCase(name: "a dot with no digits", text: "2026-11-26T02:30:00.Z", seconds: nil),
    ISOParseCase(name: "text after the zone", text: "2026-11-26T02:30:00Zx", seconds: nil),
    ISOParseCase(name: "letters", text: "2026-11-2xT02:30:00Z", seconds: nil),
    ISOParseCase(name: "empty", text: "", seconds: nil),
])
func isoTimeParsing(_ c: ISOParseCase) {
    let parsed = ISOTime.parse(c.text, allowingOffset: c.allowingOffset)
    #expect(parsed?.timeIntervalSince1970 == c.seconds)
}
