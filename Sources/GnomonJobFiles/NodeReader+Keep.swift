import GnomonCore

extension NodeReader {
    /// `keep: { runs: N, days: D }`, in a job file or the settings file; either key may be left
    /// out. `nil` when it has a problem (then reported).
    func keep(_ node: YAMLNode, _ path: String) -> KeepSpec? {
        guard let entries = entries(node, path, expected: "a mapping like { runs: 1000, days: 90 }") else { return nil }
        rejectUnknown(entries, known: JobFileFormat.keepKeys)
        var keep = KeepSpec()
        var valid = entries.allSatisfy { JobFileFormat.keepKeys.contains($0.key) }
        for entry in entries where !NodeReader.isNull(entry.value) {
            switch entry.key {
            case "runs":
                keep.runs = integer(entry.value, entry.path, in: 1...RetentionPolicy.maximumRuns,
                                    hint: "; it counts the newest runs of the job that are kept")
                valid = valid && keep.runs != nil
            case "days":
                keep.days = integer(entry.value, entry.path, in: 1...RetentionPolicy.maximumDays,
                                    hint: "; a run that ended longer ago than this is removed")
                valid = valid && keep.days != nil
            default:
                break
            }
        }
        return valid ? keep : nil
    }
}
