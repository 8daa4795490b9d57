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
