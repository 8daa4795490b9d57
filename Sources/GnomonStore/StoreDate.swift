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

    /// Reads `YYYY-MM-DDTHH:MM:SS[.fff…]Z` (a space instead of `T` is accepted), rounded to the
    /// millisecond so a parsed date equals the date that was written; `nil` if malformed.
    static func parse(_ text: String) -> Date? {
        ISOTime.parse(text, allowingOffset: false)
    }

    /// Rounds `date` to the millisecond, the precision the store keeps.
    static func rounded(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1_000).rounded() / 1_000)
    }
}
