import Foundation

/// ISO 8601 formatting of instants, as Gnomon prints and exports them.
public enum ISOTime {
    /// `2026-11-26T02:30:00Z`, with milliseconds (rounded to the nearest) only when the instant
    /// has them.
    public static func utc(_ date: Date) -> String {
        utc(date, alwaysMilliseconds: false)
    }

    /// `utc(_:)`, with `.000` too when `alwaysMilliseconds` is set: fixed width, so that text
    /// order is time order, as the store keeps dates.
    public static func utc(_ date: Date, alwaysMilliseconds: Bool) -> String {
        format(date, offset: 0, isUTC: true, alwaysMilliseconds: alwaysMilliseconds)
    }

    /// The instant in `zone` with its offset: `2026-03-08T03:00:00-04:00` (`Z` for UTC).
    ///
    /// Milliseconds are rounded to the nearest, as the store rounds them (0.123 s is held as
    /// 0.12299999… and must still print `.123`).
    public static func format(_ date: Date, zone: TimeZone) -> String {
        let second = Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
        let offset = zone.secondsFromGMT(for: second)
        return format(
            date, offset: offset, isUTC: offset == 0 && ["UTC", "GMT"].contains(zone.identifier),
            alwaysMilliseconds: false)
    }

    /// Integer formatting written byte by byte into one buffer (no Foundation formatter): the
    /// store formats a date or two per change it writes, progress lines several per task.
    private static func format(_ date: Date, offset: Int, isUTC: Bool, alwaysMilliseconds: Bool) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = CivilDate.floorDivide(milliseconds, 1000)
        let fraction = Int(milliseconds - seconds * 1000)
        let local = seconds + Int64(offset)
        let days = CivilDate.floorDivide(local, CivilDate.secondsPerDay)
        let time = Int(local - days * CivilDate.secondsPerDay)
        let civil = CivilDate(days: days)
        // A year outside 0...9999 is written as it is (a sign or a fifth digit).
        let year = (0...9999).contains(civil.year) ? nil : String(civil.year)
        let withFraction = alwaysMilliseconds || fraction != 0
        let length = (year?.utf8.count ?? 4) + 15 + (withFraction ? 4 : 0) + (isUTC ? 1 : 6)
        return String(unsafeUninitializedCapacity: length) { buffer in
            var at = 0
            func put(_ character: Unicode.Scalar) {
                buffer[at] = UInt8(ascii: character)
                at += 1
            }
            func put(_ value: Int, digits: Int) {
                var rest = value
                for index in stride(from: at + digits - 1, through: at, by: -1) {
                    buffer[index] = UInt8(truncatingIfNeeded: 48 + rest % 10)
                    rest /= 10
                }
                at += digits
            }
            if let year {
                for byte in year.utf8 {
                    buffer[at] = byte
                    at += 1
                }
            } else {
                put(Int(civil.year), digits: 4)
            }
            put("-"); put(civil.month, digits: 2)
            put("-"); put(civil.day, digits: 2)
            put("T"); put(time / 3600, digits: 2)
            put(":"); put(time / 60 % 60, digits: 2)
            put(":"); put(time % 60, digits: 2)
            if withFraction {
                put("."); put(fraction, digits: 3)
            }
            if isUTC {
                put("Z")
            } else {
                put(offset < 0 ? "-" : "+"); put(abs(offset) / 3600, digits: 2)
                put(":"); put(abs(offset) / 60 % 60, digits: 2)
            }
            return at
        }
    }

    /// Parses `2026-11-26T02:30:00Z`, `2026-11-26T02:30:00+01:00` (or `+0100`), with or without a
    /// fraction of a second, `T` or a space between date and time; rounded to the millisecond,
    /// the precision Gnomon keeps. `nil` for anything else (no zone, month 13, hour 24, ...).
    public static func parse(_ text: String) -> Date? {
        parse(text, allowingOffset: true)
    }

    /// ``parse(_:)``; with `allowingOffset` false only UTC (`Z`) instants are accepted, as the
    /// store writes them.
    public static func parse(_ text: String, allowingOffset: Bool) -> Date? {
        var reader = DigitReader(text)
        guard let year = reader.number(4), reader.take("-"), let month = reader.number(2), reader.take("-"),
              let day = reader.number(2), reader.take("T") || reader.take(" "),
              let hour = reader.number(2), reader.take(":"), let minute = reader.number(2), reader.take(":"),
              let second = reader.number(2),
              (1...12).contains(month), (1...CivilDate.monthLength(year: Int64(year), month: month)).contains(day),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var fraction = 0.0
        if reader.take(".") {
            var scale = 0.1, digits = 0
            while let digit = reader.number(1) {
                fraction += Double(digit) * scale
                scale /= 10
                digits += 1
            }
            guard digits > 0 else { return nil }
        }
        var offset = 0
        if reader.take("Z") {
            offset = 0
        } else if allowingOffset, let sign = reader.take("+") ? 1 : reader.take("-") ? -1 : nil {
            guard let hours = reader.number(2) else { return nil }
            _ = reader.take(":")
            guard let minutes = reader.number(2), hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard reader.atEnd else { return nil }
        let days = CivilDate(year: Int64(year), month: month, day: day).days
        let seconds = Double(days * CivilDate.secondsPerDay + Int64(hour * 3600 + minute * 60 + second - offset))
        return Date(timeIntervalSince1970: ((seconds + fraction) * 1000).rounded() / 1000)
    }
}

/// Reads fixed-width ASCII digits and single characters from the front of a text.
private struct DigitReader {
    private let bytes: [UInt8]
    private var at = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    var atEnd: Bool { at == bytes.count }

    /// The next `count` bytes as a decimal number, if they are all digits (nothing is consumed
    /// otherwise).
    mutating func number(_ count: Int) -> Int? {
        guard at + count <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[at..<(at + count)] {
            guard byte >= 48, byte <= 57 else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        at += count
        return value
    }

    /// Consumes `character` if it comes next.
    mutating func take(_ character: Unicode.Scalar) -> Bool {
        guard at < bytes.count, bytes[at] == UInt8(ascii: character) else { return false }
        at += 1
        return true
    }
}
