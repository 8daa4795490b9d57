import GnomonCore

extension JobReader {
    /// A task's `container`: the image and how to launch it.
    func readContainer(_ node: YAMLNode, _ path: String) -> ContainerSpec? {
        guard let entries = reader.entries(node, path, expected: "a mapping with at least image:") else { return nil }
        reader.rejectUnknown(entries, known: JobFileFormat.containerKeys)
        var spec = ContainerSpec(image: "")
        var valid = true
        func set<T>(_ value: T?, _ apply: (T) -> Void) {
            if let value { apply(value) } else { valid = false }
        }
        guard entries.contains(where: { $0.key == "image" }) else {
            reader.report(node, path, "a container needs image:, for example  image: localhost/loader:1.2")
            return nil
        }
        for entry in entries {
            let value = entry.value, path = entry.path
            if NodeReader.isNull(value), entry.key != "image" { continue }
            switch entry.key {
            case "image": set(readImage(value, path)) { spec.image = $0 }
            case "command":
                set(reader.textList(value, path, expected: "a list of arguments, like [load, --table, orders]")) { argv in
                    if argv.isEmpty {
                        reader.report(value, path, "is empty; remove it to run the image's own command")
                        valid = false
                    }
                    spec.command = argv
                }
            case "env": set(reader.environment(value, path)) { spec.env = $0 }
            case "mounts": set(readMounts(value, path)) { spec.mounts = $0 }
            case "workdir":
                set(reader.text(value, path, expected: "an absolute path inside the container")) { dir in
                    if !dir.hasPrefix("/") {
                        reader.report(value, path, "must be an absolute path inside the container, like /work (got \"\(dir)\")")
                        valid = false
                    }
                    spec.workdir = dir
                }
            case "user": set(reader.text(value, path, expected: "a user name or uid[:gid]")) { spec.user = $0 }
            case "cpus":
                set(reader.number(value, path, above: 0, atMost: JobFileFormat.maximumCPUs)) { spec.cpus = $0 }
            case "memory": set(readMemory(value, path)) { spec.memory = $0 }
            case "network": set(reader.text(value, path, expected: "none, host, or a network name")) { spec.network = $0 }
            case "pull": set(reader.choice(value, path, of: PullPolicy.self)) { spec.pull = $0 }
            default: break
            }
        }
        return valid ? spec : nil
    }

    private func readImage(_ node: YAMLNode, _ path: String) -> String? {
        guard let image = reader.text(node, path, expected: "an image name, like localhost/loader:1.2") else { return nil }
        // Spaces inside a reference (`${{ tasks.a.outputs.tag }}`) are the reference's own.
        let literal: String
        if case .success(let template) = TemplateText.parse(image) {
            literal = template.parts.map { if case .literal(let text) = $0 { text } else { "" } }.joined()
        } else {
            literal = image
        }
        if literal.contains(where: \.isWhitespace) {
            reader.report(node, path, "an image name has no spaces (got \"\(image)\"); put arguments under command:")
            return nil
        }
        return image
    }

    /// `mounts`: `host:container[:options]`, the host side relative to the job file's folder.
    private func readMounts(_ node: YAMLNode, _ path: String) -> [String]? {
        guard let mounts = reader.textList(node, path, expected: "a list of mounts, like [\"./data:/data:ro\"]") else {
            return nil
        }
        var valid = true
        for (index, mount) in mounts.enumerated() {
            let parts = mount.split(separator: ":", omittingEmptySubsequences: false)
            let ok = (parts.count == 2 || parts.count == 3) && !parts[0].isEmpty && parts[1].hasPrefix("/")
                && (parts.count == 2 || !parts[2].isEmpty)
            if !ok {
                let item = node.sequence.map { $0[index] } ?? node
                reader.report(item, "\(path)[\(index)]",
                              "must be host-path:container-path[:options] with an absolute container path, like ./data:/data:ro (got \"\(mount)\")")
                valid = false
            }
        }
        return valid ? mounts : nil
    }

    /// `memory`: a whole number with an optional unit b, k, m or g, as podman and docker take it.
    private func readMemory(_ node: YAMLNode, _ path: String) -> String? {
        guard let memory = reader.text(node, path, expected: "a size like 512m or 2g") else { return nil }
        var digits = Substring(memory)
        if let last = digits.last, "bkmgBKMG".contains(last) { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), digits.first != "0" else {
            reader.report(node, path, "must be a size like 512m or 2g: a whole number with an optional unit b, k, m or g (got \"\(memory)\")")
            return nil
        }
        return memory
    }
}
