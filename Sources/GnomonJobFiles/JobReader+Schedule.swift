import Foundation
import GnomonCore

extension JobReader {
    /// `schedule`: a string (cron line, macro or `@every`), the long form with cron, timezone and
    /// jitter, or a continuous schedule (`every` and `from` in place of `cron`), parsed by
    /// `ScheduleSpec.parse()`; `nil` once a problem is reported.
    func readSchedule(_ node: YAMLNode, _ path: String) -> JobSchedule? {
        var spec = ScheduleSpec(expression: "")
        var expressionNode = node
        var expressionPath = path
        var zoneNode: YAMLNode?
        var jitterNode: YAMLNode?
        var valid = true
        switch node {
        case .scalar:
            guard let text = reader.text(node, path, expected: "a cron line, a macro such as @daily, or @every 15m")
            else { return nil }
            spec.expression = text.trimmingCharacters(in: .whitespaces)
        case .mapping:
            guard let entries = reader.entries(node, path) else { return nil }
            reader.rejectUnknown(entries, known: JobFileFormat.scheduleKeys)
            var sawCron = false
            var sawEvery = false
            var every: (Duration, YAMLNode, String)?
            var from: (ContinuousAnchor, YAMLNode, String)?
            for entry in entries {
                switch entry.key {
                case "cron":
                    sawCron = true
                    expressionNode = entry.value
                    expressionPath = entry.path
                    if let text = reader.text(entry.value, entry.path,
                                              expected: "a cron line, a macro such as @daily, or @every 15m") {
                        spec.expression = text.trimmingCharacters(in: .whitespaces)
                    } else {
                        valid = false
                    }
                case "timezone":
                    zoneNode = entry.value
                    if let zone = reader.text(entry.value, entry.path, expected: "a time-zone name such as Europe/Dublin") {
                        spec.timeZone = zone
                    } else {
                        valid = false
                    }
                case "jitter":
                    jitterNode = entry.value
                    if NodeReader.isNull(entry.value) { break }
                    if let jitter = reader.duration(entry.value, entry.path, allowZero: true) {
                        spec.jitter = jitter
                    } else {
                        valid = false
                    }
                case "every":
                    sawEvery = true
                    if let duration = reader.duration(entry.value, entry.path, allowZero: true) {
                        every = (duration, entry.value, entry.path)
                    } else {
                        valid = false
                    }
                case "from":
                    if let anchor = reader.choice(entry.value, entry.path, of: ContinuousAnchor.self) {
                        from = (anchor, entry.value, entry.path)
                    } else {
                        valid = false
                    }
                default:
                    valid = false
                }
            }
            if sawCron, let every {
                reader.report(every.1, every.2, "a schedule has either cron: (fire times on a calendar) or every: "
                    + "(a continuous schedule, counted from the previous run), not both; remove one")
                return nil
            }
            if let from, every == nil {
                reader.report(from.1, from.2, sawCron
                    ? "from: belongs to a continuous schedule (every: 10m, from: end), not to cron:; remove it"
                    : "from: needs every: (a continuous schedule such as every: 10m, from: end)")
                return nil
            }
            if let every {
                spec.continuous = ContinuousSpec(every: every.0, from: from?.0 ?? .end)
                spec.expression = spec.continuous!.description
                expressionNode = every.1
                expressionPath = every.2
            } else if !sawCron && !sawEvery {
                reader.report(node, path, "the long form needs cron: (a cron line, a macro such as @daily, or @every 15m) "
                    + "or every: (a continuous schedule such as every: 10m, from: end)")
                return nil
            }
        default:
            reader.typeError(node, path, expected: "a cron line, @every interval, or a mapping with cron (or every and from), timezone and jitter")
            return nil
        }
        guard valid else { return nil }
        var zoneReported = false
        var parsed: JobSchedule?
        switch spec.parse() {
        case .success(let schedule):
            parsed = schedule
        case .failure(let problem):
            switch problem.part {
            case .expression:
                reader.report(expressionNode, expressionPath, problem.message)
            case .timeZone:
                zoneReported = true
                reader.report(zoneNode ?? node, zoneNode == nil ? path : JobReader.child(path, "timezone"), problem.message)
            case .jitter:
                reader.report(jitterNode ?? node, jitterNode == nil ? path : JobReader.child(path, "jitter"), problem.message)
            }
        }
        if !zoneReported, TimeZone(identifier: spec.timeZone) == nil {
            let guess = Suggest.closest(to: spec.timeZone, among: TimeZone.knownTimeZoneIdentifiers)
            let hint = guess.map { "; did you mean \"\($0)\"?" } ?? "; use an IANA name such as UTC or Europe/Dublin"
            reader.report(zoneNode ?? node, JobReader.child(path, "timezone"),
                          "unknown time zone \"\(spec.timeZone)\"\(hint)")
            return nil
        }
        return parsed
    }

    static func child(_ path: String, _ key: String) -> String { NodeReader.child(path, key) }
}
