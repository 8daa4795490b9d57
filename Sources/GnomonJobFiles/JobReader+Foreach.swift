import GnomonCore

/// `foreach`, `concurrency` and `foreach_limit` of a task: the list it fans out over (a literal
/// list of scalars, or one reference to an upstream output holding a JSON array), how many of
/// its instances may run at once, and how many items its list may have.
extension JobReader {
    func readForeach(_ entries: [NodeReader.Entry], into task: inout TaskSource) {
        let foreach = entries.first { $0.key == "foreach" && !NodeReader.isNull($0.value) }
        var limit: Int?
        for entry in entries where !NodeReader.isNull(entry.value) {
            switch entry.key {
            case "concurrency":
                task.concurrency = reader.integer(
                    entry.value, entry.path, in: 1...JobFileFormat.maximumConcurrency,
                    hint: "; remove the key for no limit of the task's own")
                if foreach == nil {
                    reader.report(entry.keyNode, entry.path,
                                  "a task's concurrency limits its foreach instances, and this task has no foreach; remove it (the job's own concurrency limits all its tasks)")
                }
            case "foreach_limit":
                limit = reader.integer(entry.value, entry.path, in: 1...ForeachSource.maximumLimit)
                task.foreachLimit = limit
                if foreach == nil {
                    reader.report(entry.keyNode, entry.path, "foreach_limit bounds a foreach list, and this task has no foreach; remove it")
                }
            default:
                break
            }
        }
        guard let foreach else { return }
        task.hasForeach = true
        let node = foreach.value, path = foreach.path
        switch node {
        case .sequence(let sequence):
            var items: [String] = []
            var valid = true
            for (index, item) in sequence.enumerated() {
                guard reader.tick(item) else { valid = false; break }
                guard case .scalar(let scalar) = item, !NodeReader.isNull(item) else {
                    reader.typeError(item, "\(path)[\(index)]", expected: "a string, number or boolean (a foreach list holds scalars)")
                    valid = false
                    continue
                }
                items.append(scalar.string)
            }
            let bound = limit ?? ForeachSource.defaultLimit
            if items.count > bound {
                reader.report(node, path, "lists \(items.count) items, more than the limit of \(bound); set foreach_limit (at most \(ForeachSource.maximumLimit)) or split the list")
                valid = false
            }
            if valid { task.foreach = .items(items) }
        case .scalar(let scalar) where OutputReferences.mayHoldReference(scalar.string):
            let sites = references(in: node, path)
            guard !sites.isEmpty else { return }  // malformed: reported at its column
            let plain = scalar.string.trimmingCharacters(in: .whitespaces)
            guard sites.count == 1, plain.hasPrefix("${{"), plain.hasSuffix("}}"),
                  case let .output(upstream, key) = sites[0].reference else {
                reader.report(node, path, "must be a list or exactly one reference to an upstream output holding a JSON array, like  foreach: ${{ tasks.plan.outputs.items }}  (got \(NodeReader.describe(node)))")
                return
            }
            task.foreach = .output(task: upstream, key: key)
            task.foreachSite = sites[0]
        default:
            reader.typeError(node, path, expected: "a list of items, or one reference like ${{ tasks.plan.outputs.items }} to an upstream output holding a JSON array")
        }
    }
}
