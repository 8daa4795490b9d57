import GnomonCore

/// References to upstream outputs (`${{ tasks.NAME.outputs.KEY }}`): each is read where it is
/// written, at its own line and column, and checked against the tasks once the graph is known
/// (``OutputReferences`` holds the rules and the messages).
extension JobReader {
    /// One reference as written, with where it is.
    struct ReferenceSite {
        let reference: TemplateText.Reference
        let line: Int
        let column: Int
        let path: String
    }

    /// The references in a task's entries: in `command` arguments, `env` values and the
    /// container's `image`, `command`, `env`, `workdir` and `user`. A reference in a `run` line,
    /// or `${{` in a field that uses its text as written, is reported here.
    func readReferences(_ entries: [NodeReader.Entry]) -> [ReferenceSite] {
        var sites: [ReferenceSite] = []
        for entry in entries {
            switch entry.key {
            case "run": refuseInShellLine(entry.value, entry.path)
            case "command": sites += referencesInList(entry.value, entry.path)
            case "env": sites += referencesInValues(entry.value, entry.path)
            case "workdir": refuseUnresolved(entry.value, entry.path, field: "a task's workdir")
            case "container":
                guard let mapping = entry.value.mapping else { continue }
                for (keyNode, value) in mapping {
                    guard let key = keyNode.scalar?.string else { continue }
                    let path = NodeReader.child(entry.path, key)
                    switch key {
                    case "image", "workdir", "user": sites += references(in: value, path)
                    case "command": sites += referencesInList(value, path)
                    case "env": sites += referencesInValues(value, path)
                    case "mounts":
                        for (index, item) in (value.sequence ?? .init(items: [], position: value.position)).enumerated() {
                            refuseUnresolved(item, "\(path)[\(index)]", field: "a container's mounts")
                        }
                    case "network": refuseUnresolved(value, path, field: "a container's network")
                    default: break
                    }
                }
            default: break
            }
        }
        return sites
    }

    /// `defaults` hold no references: a default reaches every task, and no output is upstream of
    /// them all.
    func refuseReferencesInDefaults(_ entries: [NodeReader.Entry]) {
        for entry in entries where entry.key == "env" {
            for (_, value) in entry.value.mapping ?? .init(pairs: [], position: entry.value.position) {
                guard let scalar = value.scalar, OutputReferences.mayHoldReference(scalar.string) else { continue }
                reader.report(value, entry.path,
                              "defaults cannot hold references to outputs: a default reaches every task; put it in the env of each task that lists the upstream task under depends_on")
            }
        }
    }

    /// Reports every reference of `sites` that `task` may not use: to an unknown task, to one
    /// that is not upstream, or to one listed only under `after`.
    func checkReferences(of task: TaskSource, names: [String]) {
        let dependsOn = task.dependsOn.map(\.name), after = task.after.map(\.name)
        for site in task.references + [task.foreachSite].compactMap({ $0 }) {
            if let problem = OutputReferences.problem(
                with: site.reference, referrer: task.name, dependsOn: dependsOn, after: after, names: names,
                isForeach: task.hasForeach) {
                reader.report(line: site.line, column: site.column, site.path, problem.description)
            }
        }
    }

    /// The references in one text node; a malformed `${{` is reported at its column.
    func references(in node: YAMLNode, _ path: String) -> [ReferenceSite] {
        guard let scalar = node.scalar, OutputReferences.mayHoldReference(scalar.string) else { return [] }
        switch TemplateText.parse(scalar.string) {
        case .failure(let problem):
            let at = scalar.position(atOffset: problem.column - 1)
            reader.report(line: at.line, column: at.column, path, problem.message)
            return []
        case .success(let template):
            return template.parts.compactMap { part in
                guard case .reference(let reference, let column) = part else { return nil }
                let at = scalar.position(atOffset: column - 1)
                return ReferenceSite(reference: reference, line: at.line, column: at.column, path: path)
            }
        }
    }

    private func referencesInList(_ node: YAMLNode, _ path: String) -> [ReferenceSite] {
        guard let sequence = node.sequence else { return [] }
        return sequence.enumerated().flatMap { index, item in references(in: item, "\(path)[\(index)]") }
    }

    private func referencesInValues(_ node: YAMLNode, _ path: String) -> [ReferenceSite] {
        guard let mapping = node.mapping else { return [] }
        return mapping.flatMap { keyNode, value in
            references(in: value, NodeReader.child(path, keyNode.scalar?.string ?? ""))
        }
    }

    /// A shell line holds no reference: each is reported with the remedy (pass it through `env`).
    private func refuseInShellLine(_ node: YAMLNode, _ path: String) {
        guard let scalar = node.scalar, OutputReferences.mayHoldReference(scalar.string) else { return }
        switch TemplateText.parse(scalar.string) {
        case .failure(let problem):
            let at = scalar.position(atOffset: problem.column - 1)
            reader.report(line: at.line, column: at.column, path, problem.message)
        case .success(let template):
            for case .reference(let reference, let column) in template.parts {
                let at = scalar.position(atOffset: column - 1)
                reader.report(line: at.line, column: at.column, path, OutputReferences.Problem.inShellLine(reference).description)
            }
        }
    }

    private func refuseUnresolved(_ node: YAMLNode, _ path: String, field: String) {
        guard let scalar = node.scalar, let range = scalar.string.range(of: "${{") else { return }
        let at = scalar.position(atOffset: scalar.string.distance(from: scalar.string.startIndex, to: range.lowerBound))
        reader.report(line: at.line, column: at.column, path, OutputReferences.Problem.notResolvedHere(field: field).description)
    }
}
