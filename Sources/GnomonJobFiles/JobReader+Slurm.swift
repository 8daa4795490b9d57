import GnomonCore

extension JobReader {
    /// `slurm`: what a task asks its Slurm cluster for (on a task or in `defaults`).
    func readSlurm(_ node: YAMLNode, _ path: String) -> SlurmOptions? {
        guard let entries = reader.entries(node, path, expected: "a mapping of Slurm options, like { partition: batch, cpus: 4 }")
        else { return nil }
        reader.rejectUnknown(entries, known: JobFileFormat.slurmKeys)
        var options = SlurmOptions()
        var valid = true
        func set<T>(_ value: T?, _ apply: (T) -> Void) {
            if let value { apply(value) } else { valid = false }
        }
        for entry in entries where !NodeReader.isNull(entry.value) {
            let value = entry.value, path = entry.path
            switch entry.key {
            case "cpus": set(reader.integer(value, path, in: 1...JobFileFormat.maximumSlurmCount)) { options.cpus = $0 }
            case "gpus": set(reader.integer(value, path, in: 1...JobFileFormat.maximumSlurmCount)) { options.gpus = $0 }
            case "memory": set(reader.text(value, path, expected: "a memory size as Slurm takes it, like 32g or 512m")) { options.memory = $0 }
            case "gres": set(reader.text(value, path, expected: "a generic resource, like gpu:a100:1")) { options.gres = $0 }
            case "qos": set(reader.text(value, path, expected: "a quality of service name")) { options.qos = $0 }
            case "constraint": set(reader.text(value, path, expected: "a node feature expression, like avx512")) { options.constraint = $0 }
            case "partition": set(reader.text(value, path, expected: "a partition name")) { options.partition = $0 }
            case "account": set(reader.text(value, path, expected: "an account name")) { options.account = $0 }
            case "time": set(reader.duration(value, path)) { options.time = $0 }
            case "extra": set(readExtra(value, path)) { options.extra = $0 }
            default: break
            }
        }
        if options.gpus != nil, options.gres != nil, let gres = entries.first(where: { $0.key == "gres" }) {
            reader.report(gres.keyNode, gres.path, "give gpus or gres, not both; gres: \"gpu:TYPE:N\" names the GPU type")
            valid = false
        }
        return valid ? options : nil
    }

    /// `extra`: further sbatch options, none of them one that Gnomon sets itself.
    private func readExtra(_ node: YAMLNode, _ path: String) -> [String]? {
        guard case .sequence(let sequence) = node else {
            reader.typeError(node, path, expected: "a list of sbatch options, like [\"--exclusive\"]", hint: NodeReader.asListHint(node))
            return nil
        }
        var options: [String] = []
        var valid = true
        for (index, item) in sequence.enumerated() {
            guard reader.tick(item) else { return nil }
            let itemPath = "\(path)[\(index)]"
            guard let option = reader.text(item, itemPath, expected: "an sbatch option, like --exclusive") else { valid = false; continue }
            if let owned = OwnedSlurmOption.owner(of: option) {
                reader.report(item, itemPath, "\(owned.long) cannot be given in extra (got \"\(option)\"): \(owned.remedy)")
                valid = false
            }
            options.append(option)
        }
        return valid ? options : nil
    }
}
