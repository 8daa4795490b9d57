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

    /// A task's working directory: `workdir` resolved against the job file's folder.
    public static func workingDirectory(job: JobSpec, task: TaskSpec) -> String {
        resolve(task.workdir, against: job.directory)
    }

    /// `path` made absolute against `folder` (`nil` or empty gives the folder itself).
    public static func resolve(_ path: String?, against folder: String) -> String {
        guard let path, !path.isEmpty else { return folder }
        if path.hasPrefix("/") { return path }
        var base = folder
        while base.hasSuffix("/") && base.count > 1 { base.removeLast() }
        var rest = Substring(path)
        while rest.hasPrefix("./") { rest = rest.dropFirst(2) }
        return rest.isEmpty ? base : base + "/" + rest
    }
}

/// ISO 8601 formatting of instants, as Gnomon prints and exports them.
public enum ISOTime {
    /// `2026-11-26T02:30:00Z`, with milliseconds only when the instant has them.
    public static func utc(_ date: Date) -> String {
        format(date, offset: 0, isUTC: true)
    }

    /// The instant in `zone` with its offset: `2026-03-08T03:00:00-04:00` (`Z` for UTC).
    ///
    /// Milliseconds are rounded to the nearest, as the store rounds them (0.123 s is held as
    /// 0.12299999… and must still print `.123`).
    public static func format(_ date: Date, zone: TimeZone) -> String {
        let second = Date(timeIntervalSince1970: (date.timeIntervalSince1970 * 1000).rounded() / 1000)
        let offset = zone.secondsFromGMT(for: second)
        return format(date, offset: offset, isUTC: offset == 0 && ["UTC", "GMT"].contains(zone.identifier))
    }

    /// Integer formatting (no Foundation formatter): progress lines print several per task.
    private static func format(_ date: Date, offset: Int, isUTC: Bool) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = CivilDate.floorDivide(milliseconds, 1000)
        let fraction = Int(milliseconds - seconds * 1000)
        let local = seconds + Int64(offset)
        let days = CivilDate.floorDivide(local, CivilDate.secondsPerDay)
        let time = Int(local - days * CivilDate.secondsPerDay)
        let civil = CivilDate(days: days)
        var text = ""
        text.reserveCapacity(29)
        if civil.year < 0 || civil.year > 9999 {
            text += String(civil.year)
        } else {
            append(Int(civil.year), digits: 4, to: &text)
        }
        text += "-"
        append(civil.month, digits: 2, to: &text)
        text += "-"
        append(civil.day, digits: 2, to: &text)
        text += "T"
        append(time / 3600, digits: 2, to: &text)
        text += ":"
        append(time / 60 % 60, digits: 2, to: &text)
        text += ":"
        append(time % 60, digits: 2, to: &text)
        if fraction != 0 {
            text += "."
            append(fraction, digits: 3, to: &text)
        }
        if isUTC { return text + "Z" }
        text += offset < 0 ? "-" : "+"
        append(abs(offset) / 3600, digits: 2, to: &text)
        text += ":"
        append(abs(offset) / 60 % 60, digits: 2, to: &text)
        return text
    }

    private static func append(_ value: Int, digits: Int, to text: inout String) {
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            text.unicodeScalars.append(Unicode.Scalar(UInt8(48 + rest / divisor % 10)))
            rest %= divisor
            divisor /= 10
        }
    }

    /// Parses `2026-11-26T02:30:00Z`, `2026-11-26T02:30:00+01:00` or with fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
