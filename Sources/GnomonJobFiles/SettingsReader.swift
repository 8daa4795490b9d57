import Foundation
import GnomonCore

/// Turns a composed settings file into `GnomonSettings`, reporting every problem through its
/// `NodeReader` and keeping every part that has none. Channels are read in
/// `SettingsReader+Channels.swift`.
struct SettingsReader {
    let reader: NodeReader
    /// The settings file's folder: relative `*_file` paths resolve against it.
    let directory: String

    func read(root: YAMLNode) -> (settings: GnomonSettings, channelNames: Set<String>) {
        var settings = GnomonSettings()
        guard let entries = reader.entries(
            root, "", expected: "a mapping of keys such as channels: and notify:") else { return (settings, []) }
        reader.rejectUnknown(entries, known: SettingsFileFormat.settingsKeys)
        // Channels first: the rules name them, wherever the file puts them.
        var channelNames: Set<String> = []
        if let channels = entries.first(where: { $0.key == "channels" }), !NodeReader.isNull(channels.value) {
            let read = readChannels(channels.value, channels.path)
            settings.channels = read.channels
            channelNames = read.names
        }
        for entry in entries where !NodeReader.isNull(entry.value) {
            switch entry.key {
            case "notify":
                let rules = NotifyReader(reader: reader, channels: channelNames).rules(entry.value, entry.path) ?? []
                // A rule keeps the channels that loaded; one left with none is left out.
                settings.notify = rules.compactMap { rule in
                    var rule = rule
                    rule.to = rule.to.filter { settings.channels[$0] != nil }
                    return rule.to.isEmpty ? nil : rule
                }
            case "late_after":
                settings.lateAfter = reader.duration(entry.value, entry.path)
            case "expect_success_every":
                settings.expectSuccessEvery = reader.duration(entry.value, entry.path)
            case "public_url":
                settings.publicURL = url(entry.value, entry.path, example: "https://gnomon.example.com")
            case "keep":
                settings.keep = reader.keep(entry.value, entry.path)
            case "retry_alerts_for":
                if let value = reader.duration(entry.value, entry.path) { settings.retryAlertsFor = value }
            case "min_free_space":
                if let rule = freeSpace(entry.value, entry.path) { settings.minFreeSpace = rule }
            case "slurm":
                settings.slurm = readSlurm(entry.value, entry.path)
            default:
                break
            }
        }
        return (settings, channelNames)
    }

    /// `min_free_space`: a size (`1GiB`), a percentage of the file system (`5%`), or 0 for no check.
    func freeSpace(_ node: YAMLNode, _ path: String) -> FreeSpaceRule? {
        guard let text = reader.text(node, path, expected: "a size like 1GiB or a percentage like 5%") else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasSuffix("%") {
            guard let percent = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)), percent >= 0, percent <= 100 else {
                reader.report(node, path, "must be a percentage from 0% to 100%, or a size like 1GiB (got \(NodeReader.describe(node)))")
                return nil
            }
            return percent == 0 ? FreeSpaceRule.none : .percent(percent)
        }
        switch ByteSize.parse(trimmed) {
        case .success(let bytes): return bytes == 0 ? FreeSpaceRule.none : .bytes(bytes)
        case .failure(let problem):
            reader.report(node, path, "\(problem.description), or a percentage like 5%")
            return nil
        }
    }

    /// An `http` or `https` URL with a host.
    func url(_ node: YAMLNode, _ path: String, example: String) -> String? {
        guard let text = reader.text(node, path, expected: "an http or https URL, like \"\(example)\"") else { return nil }
        let lowered = text.lowercased()
        let rest = lowered.hasPrefix("https://") ? text.dropFirst(8) : lowered.hasPrefix("http://") ? text.dropFirst(7) : nil
        guard let rest, let host = rest.split(separator: "/", omittingEmptySubsequences: false).first, !host.isEmpty,
              !text.contains(where: { $0.isWhitespace }) else {
            reader.report(node, path, "must be an http or https URL, like \"\(example)\" (got \(NodeReader.describe(node)))")
            return nil
        }
        return text
    }
}

extension SettingsReader {
    /// `slurm`: where Slurm's commands and configuration are, and how often to ask about jobs.
    func readSlurm(_ node: YAMLNode, _ path: String) -> SlurmSettings {
        var slurm = SlurmSettings()
        guard let entries = reader.entries(node, path, expected: "a mapping such as { conf: /etc/slurm/slurm.conf }") else { return slurm }
        reader.rejectUnknown(entries, known: SettingsFileFormat.slurmKeys)
        for entry in entries where !NodeReader.isNull(entry.value) {
            switch entry.key {
            case "conf": slurm.conf = reader.text(entry.value, entry.path, expected: "the path of slurm.conf")
            case "bin": slurm.bin = reader.text(entry.value, entry.path, expected: "the folder of sbatch and squeue")
            case "poll_interval": if let value = reader.duration(entry.value, entry.path) { slurm.pollInterval = value }
            case "max_poll_interval": if let value = reader.duration(entry.value, entry.path) { slurm.maxPollInterval = value }
            default: break
            }
        }
        return slurm
    }
}
