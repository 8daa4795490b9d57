import Foundation

/// The environment and command line of one attempt, decided from the job, the task and the run.
public enum AttemptEnvironment {
    /// The child's environment: the runner's own, then the task's `env` (job defaults already
    /// merged in by the loader), then Gnomon's variables, which always win.
    public static func make(
        base: [String: String], job: JobSpec, task: TaskSpec, runID: Int64, attempt: Int,
        scheduledAt: Date, params: [String: String]
    ) -> [String: String] {
        var env = base
        env.merge(task.env) { _, new in new }
        env["GNOMON_JOB"] = job.name
        env["GNOMON_RUN_ID"] = String(runID)
        env["GNOMON_TASK"] = task.name
        env["GNOMON_ATTEMPT"] = String(attempt)
        env["GNOMON_SCHEDULED_TIME"] = ISOTime.utc(scheduledAt)
        for (key, value) in params { env["GNOMON_PARAM_\(paramKey(key))"] = value }
        return env
    }

    /// `--param` keys as environment names: upper case, anything but letters, digits and `_`
    /// turned into `_` (`batch-size` becomes `GNOMON_PARAM_BATCH_SIZE`).
    public static func paramKey(_ key: String) -> String {
        String(key.uppercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// The argv of a local task: `/bin/sh -c LINE` for `run:`, the argv itself for `command:`.
    /// `nil` for a container task.
    public static func argv(for action: TaskAction) -> [String]? {
        switch action {
        case .shell(let line): return ["/bin/sh", "-c", line]
        case .command(let argv): return argv
        case .container: return nil
        }
    }

    /// A task's working directory: `workdir` joined to the job file's folder with ``PathJoin``
    /// (the job file's folder itself when the task has none).
    public static func workingDirectory(job: JobSpec, task: TaskSpec) -> String {
        PathJoin.join(job.directory, task.workdir ?? "")
    }
}

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

    /// Parses `2026-11-26T02:30:00Z`, `2026-11-26T02:30:00+01:00` or with fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
