import Foundation

/// Converts dates to and from the fixed-width UTC text the store writes, with millisecond precision.
///
/// In the database every date is `YYYY-MM-DDTHH:MM:SS.mmmZ` (always 24 characters), so text order is
/// time order and SQLite's date functions read it. In JSON the milliseconds are left out when they
/// are zero (`2024-05-01T12:00:00Z`), which tools such as jq's `fromdateiso8601` understand.
/// Written by hand rather than with a formatter: a write path formats several dates per change.
enum StoreDate {
    /// The database text for `date`, rounded to the nearest millisecond.
    static func databaseText(_ date: Date) -> String {
        format(date, alwaysMilliseconds: true)
    }

    /// The JSON text for `date`: ISO 8601 in UTC, with milliseconds only when they are not zero.
    static func jsonText(_ date: Date) -> String {
        format(date, alwaysMilliseconds: false)
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

    private static func format(_ date: Date, alwaysMilliseconds: Bool) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1_000).rounded())
        let (seconds, milliseconds) = floorDivide(totalMilliseconds, 1_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civilFromDays(Int(days))
        guard (0...9_999).contains(year) else { return slowFormat(date, alwaysMilliseconds: alwaysMilliseconds) }
        let withMilliseconds = alwaysMilliseconds || milliseconds != 0
        // Written byte by byte into one buffer: a transaction formats a date or two per change,
        // and building the text from padded pieces cost a tenth of a small transaction.
        return String(unsafeUninitializedCapacity: withMilliseconds ? 24 : 20) { buffer in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var rest = value
                for index in stride(from: offset + width - 1, through: offset, by: -1) {
                    buffer[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                    rest /= 10
                }
            }
            put(year, 4, at: 0)
            buffer[4] = UInt8(ascii: "-")
            put(month, 2, at: 5)
            buffer[7] = UInt8(ascii: "-")
            put(day, 2, at: 8)
            buffer[10] = UInt8(ascii: "T")
            put(Int(secondOfDay / 3_600), 2, at: 11)
            buffer[13] = UInt8(ascii: ":")
            put(Int(secondOfDay % 3_600 / 60), 2, at: 14)
            buffer[16] = UInt8(ascii: ":")
            put(Int(secondOfDay % 60), 2, at: 17)
            guard withMilliseconds else {
                buffer[19] = UInt8(ascii: "Z")
                return 20
            }
            buffer[19] = UInt8(ascii: ".")
            put(Int(milliseconds), 3, at: 20)
            buffer[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// The same text for years outside 0...9999 (a sign or a fifth digit), piece by piece.
    private static func slowFormat(_ date: Date, alwaysMilliseconds: Bool) -> String {
        let totalMilliseconds = Int64((date.timeIntervalSince1970 * 1_000).rounded())
        let (seconds, milliseconds) = floorDivide(totalMilliseconds, 1_000)
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civilFromDays(Int(days))
        let hour = Int(secondOfDay / 3_600), minute = Int(secondOfDay % 3_600 / 60)
        let second = Int(secondOfDay % 60)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2)
        if alwaysMilliseconds || milliseconds != 0 {
            text += "." + pad(Int(milliseconds), 3)
        }
        return text + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value >= 0 ? value / divisor : (value - divisor + 1) / divisor
        return (quotient, value - quotient * divisor)
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

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    private static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
