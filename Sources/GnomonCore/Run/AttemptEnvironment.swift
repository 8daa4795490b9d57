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
        format(date, zone: TimeZone(identifier: "UTC")!)
    }

    /// The instant in `zone` with its offset: `2026-03-08T03:00:00-04:00` (`Z` for UTC).
    ///
    /// Milliseconds are rounded to the nearest, as the store rounds them (the formatter would
    /// truncate the binary fraction: 0.123 s is stored as 0.12299999… and printed `.122`).
    public static func format(_ date: Date, zone: TimeZone) -> String {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded()
        let wholeSeconds = (milliseconds / 1000).rounded(.down)
        let fraction = Int(milliseconds - wholeSeconds * 1000)
        let second = Date(timeIntervalSince1970: wholeSeconds)
        let offset = zone.secondsFromGMT(for: second)
        let shifted = second.addingTimeInterval(TimeInterval(offset))
        var text = shifted.formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        if fraction != 0, text.hasSuffix("Z") {
            text.removeLast()
            text += "." + String(String(fraction + 1000).dropFirst()) + "Z"
        }
        guard offset != 0 || !["UTC", "GMT"].contains(zone.identifier), text.hasSuffix("Z") else { return text }
        text.removeLast()
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        let hh = minutes / 60 < 10 ? "0\(minutes / 60)" : "\(minutes / 60)"
        let mm = minutes % 60 < 10 ? "0\(minutes % 60)" : "\(minutes % 60)"
        return text + sign + hh + ":" + mm
    }

    /// Parses `2026-11-26T02:30:00Z`, `2026-11-26T02:30:00+01:00` or with fractional seconds.
    public static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
