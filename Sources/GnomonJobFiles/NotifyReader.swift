import GnomonCore

/// Reads alerting rules (`notify:`) and the durations beside them, for the settings file and for
/// job files alike.
struct NotifyReader {
    let reader: NodeReader
    /// The channel names rules may name; `nil` leaves names unchecked (a job file read without
    /// its settings file).
    let channels: Set<String>?

    /// `notify`: a list of rules; only the rules read without a problem. `nil` if the node is
    /// not a list.
    func rules(_ node: YAMLNode, _ path: String) -> [NotifyRule]? {
        guard case .sequence(let sequence) = node else {
            reader.typeError(node, path, expected: "a list of rules, each with to: and on:",
                             hint: node.mapping == nil ? "" : "; put a \"- \" before to: to make it a list")
            return nil
        }
        var out: [NotifyRule] = []
        for (index, item) in sequence.enumerated() {
            guard reader.tick(item) else { return nil }
            if let rule = rule(item, "\(path)[\(index)]") { out.append(rule) }
        }
        return out
    }

    /// One rule, or `nil` once a problem with it is reported.
    func rule(_ node: YAMLNode, _ path: String) -> NotifyRule? {
        guard let entries = reader.entries(node, path, expected: "a rule: a mapping with to: and on:") else { return nil }
        reader.rejectUnknown(entries, known: SettingsFileFormat.ruleKeys)
        var valid = entries.allSatisfy { SettingsFileFormat.ruleKeys.contains($0.key) }
        var to: [String]?
        var on: Set<NotifyCondition>?
        var after = 1
        var repeatPolicy = RepeatPolicy.never
        for entry in entries {
            switch entry.key {
            case "to":
                to = channelNames(entry.value, entry.path)
                valid = valid && to != nil
            case "on":
                on = conditions(entry.value, entry.path)
                valid = valid && on != nil
            case "after_consecutive_failures":
                if NodeReader.isNull(entry.value) { break }
                if let count = reader.integer(entry.value, entry.path, in: 1...SettingsFileFormat.maximumConsecutiveFailures) {
                    after = count
                } else {
                    valid = false
                }
            case "repeat":
                if NodeReader.isNull(entry.value) { break }
                if let policy = self.repeatPolicy(entry.value, entry.path) { repeatPolicy = policy } else { valid = false }
            default:
                break
            }
        }
        if !entries.contains(where: { $0.key == "to" }) {
            reader.report(node, path, "a rule needs to: (the channels to alert), for example  to: [ops-chat]")
            valid = false
        }
        if !entries.contains(where: { $0.key == "on" }) {
            reader.report(node, path, "a rule needs on: (the events that alert), for example  on: [failure, recovery]")
            valid = false
        }
        guard valid, let to, let on else { return nil }
        return NotifyRule(to: to, on: on, afterConsecutiveFailures: after, repeat: repeatPolicy)
    }

    /// `to`: channel names, each known (when the known names are given) and named once.
    private func channelNames(_ node: YAMLNode, _ path: String) -> [String]? {
        guard let sequence = reader.nonEmptyList(
            node, path, expected: "a list of channel names",
            whenEmpty: "names no channel; name at least one, like [ops-chat], or remove the rule") else { return nil }
        var names: [String] = []
        var valid = true
        for (index, item) in sequence.enumerated() {
            guard reader.tick(item) else { return nil }
            let itemPath = "\(path)[\(index)]"
            guard let name = reader.text(item, itemPath, expected: "a channel name") else {
                valid = false
                continue
            }
            if names.contains(name) {
                reader.report(item, itemPath, "channel \"\(name)\" is named twice; remove one")
                valid = false
            } else if let channels, !channels.contains(name) {
                reader.report(item, itemPath, Self.unknownChannel(name, among: channels))
                valid = false
            }
            names.append(name)
        }
        return valid ? names : nil
    }

    /// The message for a rule naming a channel that the settings file does not define.
    static func unknownChannel(_ name: String, among channels: Set<String>) -> String {
        let known = channels.sorted()
        if known.isEmpty {
            return "no channel \"\(name)\"; no channels are defined: define it under channels: in the settings file (\(SettingsFileFormat.fileName))"
        }
        if let guess = Suggest.closest(to: name, among: known) {
            return "no channel \"\(name)\"; did you mean \"\(guess)\"?"
        }
        return "no channel \"\(name)\"; the channels are: \(known.joined(separator: ", "))"
    }

    /// `on`: the events that alert, each named once.
    private func conditions(_ node: YAMLNode, _ path: String) -> Set<NotifyCondition>? {
        guard let sequence = reader.nonEmptyList(
            node, path, expected: "a list of events, like [failure, recovery]",
            whenEmpty: "names no event; name at least one, like [failure, recovery], or remove the rule") else { return nil }
        var out: Set<NotifyCondition> = []
        var valid = true
        for (index, item) in sequence.enumerated() {
            guard reader.tick(item) else { return nil }
            let itemPath = "\(path)[\(index)]"
            guard let condition = reader.choice(item, itemPath, of: NotifyCondition.self) else {
                valid = false
                continue
            }
            if !out.insert(condition).inserted {
                reader.report(item, itemPath, "event \"\(condition.rawValue)\" is named twice; remove one")
                valid = false
            }
        }
        return valid ? out : nil
    }

    /// `repeat`: never, every_failure, or a reminder interval of at least a minute.
    private func repeatPolicy(_ node: YAMLNode, _ path: String) -> RepeatPolicy? {
        let expected = "never, every_failure or a duration like 4h"
        guard case .scalar(let scalar) = node else {
            reader.typeError(node, path, expected: expected)
            return nil
        }
        switch scalar.string {
        case RepeatPolicy.neverText: return .never
        case RepeatPolicy.everyFailureText: return .everyFailure
        default: break
        }
        guard case .success(let interval) = DurationText.parse(scalar.string) else {
            let hint = Suggest.closest(to: scalar.string, among: [RepeatPolicy.neverText, RepeatPolicy.everyFailureText])
                .map { "; did you mean \"\($0)\"?" } ?? ""
            reader.report(node, path, "must be \(expected) (got \(NodeReader.describe(node)))\(hint)")
            return nil
        }
        if interval < SettingsFileFormat.minimumRepeat {
            reader.report(node, path, "a reminder every \(DurationText.format(interval)) is too often; use at least \(DurationText.format(SettingsFileFormat.minimumRepeat)), or every_failure")
            return nil
        }
        return .every(interval)
    }

    /// `late_after` or `expect_success_every`: a duration longer than zero.
    func interval(_ node: YAMLNode, _ path: String) -> Duration? {
        reader.duration(node, path)
    }
}
