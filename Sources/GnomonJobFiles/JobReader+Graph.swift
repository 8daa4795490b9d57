import GnomonCore

extension JobReader {
    /// Builds the task graph with `TaskGraph.build`, or reports each problem at the dependency
    /// entry it is about: unknown, repeated and self dependencies, and every cycle. Core names a
    /// dependency by its kind; the messages name the key that lists it (`depends_on`, `after`).
    func checkGraph(_ sources: [TaskSource]) -> TaskGraph? {
        // Tasks whose name was defined twice are already left out; placeholders stand in for actions.
        let specs = sources.map {
            TaskSpec(name: $0.name, action: .shell(""), dependsOn: $0.dependsOn.map(\.name), after: $0.after.map(\.name))
        }
        let problems: TaskGraph.Problems
        switch TaskGraph.build(specs) {
        case .success(let graph): return graph
        case .failure(let found): problems = found
        }
        let byName = Dictionary(sources.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // TaskGraph reports a repeated or unknown entry once per occurrence, in file order; these
        // counters find the occurrence each report is about.
        var used: [String: Int] = [:]
        func occurrence(_ key: String, in entries: [TaskSource.Dependency],
                        matching name: String, skipFirst: Bool = false) -> TaskSource.Dependency? {
            let matches = entries.filter { $0.name == name }
            let index = used[key, default: skipFirst ? 1 : 0]
            used[key] = index + 1
            return matches.indices.contains(index) ? matches[index] : matches.last
        }
        for problem in problems.all {
            switch problem {
            case let .unknownDependency(task, kind, dependency, suggestion):
                guard let source = byName[task] else { continue }
                let hint = suggestion.map { "; did you mean \"\($0)\"?" } ?? "; define it under tasks or remove it"
                report(occurrence("u|\(task)|\(kind.key)|\(dependency)", in: source.dependencies(kind), matching: dependency),
                       source, "no task is named \"\(dependency)\"\(hint)")
            case let .selfDependency(task, kind):
                guard let source = byName[task] else { continue }
                report(occurrence("s|\(task)|\(kind.key)", in: source.dependencies(kind), matching: task),
                       source, "a task cannot wait for itself; remove \"\(task)\" from \(kind.key)")
            case let .duplicateDependency(task, _, dependency):
                guard let source = byName[task] else { continue }
                let first = (source.dependsOn + source.after).first { $0.name == dependency }
                let firstLine = first.map { reader.position(of: $0.node).line } ?? 0
                report(occurrence("d|\(task)|\(dependency)", in: source.dependsOn + source.after,
                                  matching: dependency, skipFirst: true),
                       source, "\"\(dependency)\" is already listed (line \(firstLine)); keep one")
            case let .cycle(path):
                reportCycle(path, byName: byName)
            }
        }
        return nil
    }

    /// A cycle `a -> b -> a` (b waits for a, a waits for b) is reported at the entry that closes
    /// it: the last task's name in the first task's lists.
    private func reportCycle(_ path: [String], byName: [String: TaskSource]) {
        guard path.count >= 2, let closing = byName[path[0]] else { return }
        let upstream = path[path.count - 2]
        let entry = (closing.dependsOn + closing.after).first { $0.name == upstream }
        report(entry, closing,
               "dependency cycle \(path.joined(separator: " -> ")); remove one of these dependencies")
    }

    private func report(_ entry: TaskSource.Dependency?, _ task: TaskSource, _ message: String) {
        if let entry {
            reader.report(entry.node, entry.path, message)
        } else {
            reader.report(task.keyNode, task.path, message)
        }
    }
}

extension TaskSource {
    /// The dependencies of one kind, as written.
    func dependencies(_ kind: DependencyKind) -> [Dependency] {
        switch kind {
        case .required: return dependsOn
        case .completionOnly: return after
        }
    }
}
