import Foundation
import GnomonCore

/// Converts dates to and from the fixed-width UTC text the store writes, with millisecond precision.
///
/// In the database every date is `YYYY-MM-DDTHH:MM:SS.mmmZ` (always 24 characters), so text order is
/// time order and SQLite's date functions read it. In JSON the milliseconds are left out when they
/// are zero (`2024-05-01T12:00:00Z`), which tools such as jq's `fromdateiso8601` understand.
/// Both are written by `ISOTime.utc`, without a Foundation formatter.
enum StoreDate {
    /// The database text for `date`, rounded to the nearest millisecond.
    static func databaseText(_ date: Date) -> String {
        ISOTime.utc(date, alwaysMilliseconds: true)
    }

    /// The JSON text for `date`: ISO 8601 in UTC, with milliseconds only when they are not zero.
    static func jsonText(_ date: Date) -> String {
        ISOTime.utc(date)
    }

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fff…]Z` (a space instead of `T` is accepted); `nil` if malformed.
    static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ start: Int, _ length: Int) -> Int? {
            var value = 0
            for index in start..<(start + length) {
                let byte = bytes[index]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
              bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
              let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if bytes.count > 20 {
            // A fraction: `.` then one or more digits, then the final `Z`.
            guard bytes[19] == UInt8(ascii: "."), bytes.count > 21 else { return nil }
            var scale = 0.1
            for byte in bytes[20..<(bytes.count - 1)] {
                guard byte >= 48, byte <= 57 else { return nil }
                fraction += Double(byte - 48) * scale
                scale /= 10
            }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
        // Round to the millisecond so a parsed date equals the date that was written.
        let milliseconds = (seconds * 1_000 + fraction * 1_000).rounded()
        return Date(timeIntervalSince1970: milliseconds / 1_000)
    }

    /// Rounds `date` to the millisecond, the precision the store keeps.
    static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000).rounded() / 1_000)
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
