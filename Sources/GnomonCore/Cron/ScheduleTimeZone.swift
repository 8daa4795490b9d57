import Foundation

/// Reads the time-zone names schedules use.
public enum ScheduleTimeZone {
    /// The zone named `name`: an IANA name such as `Europe/London`, or `UTC`.
    ///
    /// An unknown name is a problem with a did-you-mean when a known name is close
    /// (`Europe/Lodon`, `america/new_york`, `London`).
    public static func resolve(_ name: String) -> Result<TimeZone, ScheduleProblem> {
        let examples = "use an IANA name such as Europe/London, America/New_York or UTC"
        let trimmed = name.trimmingWhitespace()
        guard !trimmed.isEmpty else {
            return .failure(ScheduleProblem(.timeZone, "the time zone is empty; \(examples)"))
        }
        if let zone = TimeZone(identifier: trimmed) { return .success(zone) }
        let known = TimeZone.knownTimeZoneIdentifiers + ["UTC"]
        let lower = trimmed.lowercased()
        let suggestion = known.first { $0.lowercased() == lower }
            ?? known.first { $0.split(separator: "/").last?.lowercased() == lower }
            ?? Suggest.closest(to: trimmed, among: known)
        let hint = suggestion.map { "did you mean \"\($0)\"?" } ?? examples
        return .failure(ScheduleProblem(.timeZone, "unknown time zone \"\(trimmed)\"; \(hint)"))
    }
}
