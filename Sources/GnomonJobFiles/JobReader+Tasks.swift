import GnomonCore

extension JobReader {
    /// `tasks`: a mapping of task names to tasks, in the file's order.
    func readTasks(_ node: YAMLNode, _ path: String) -> [TaskSource] {
        if NodeReader.isNull(node) || node.mapping?.isEmpty == true {
            reader.report(node, path, "there are no tasks; add at least one, for example  hello: { run: echo hello }")
            return []
        }
        guard let entries = reader.entries(node, path, expected: "a mapping of task names to tasks", noun: "task")
        else { return [] }
        if entries.count > JobFileFormat.maximumTasksPerRun {
            reader.report(node, path, "a run may have at most \(JobFileFormat.maximumTasksPerRun) tasks (got \(entries.count)); split the job into several jobs")
            return []
        }
        return entries.map(readTask)
    }

    private func readTask(_ entry: NodeReader.Entry) -> TaskSource {
        var task = TaskSource(name: entry.key, keyNode: entry.keyNode, path: entry.path)
        if let problem = NameRule.problem(with: entry.key) {
            reader.report(entry.keyNode, entry.path, "task \(problem)")
        }
        guard let entries = reader.entries(entry.value, entry.path,
                                           expected: "a mapping with run, command or container") else { return task }
        reader.rejectUnknown(entries, known: JobFileFormat.taskKeys)
        let actions = entries.filter { JobFileFormat.actionKeys.contains($0.key) }
        if actions.isEmpty {
            reader.report(entry.keyNode, entry.path,
                          "a task needs one of run (a shell line), command (an argv list) or container (an image to run)")
        } else if actions.count > 1 {
            let names = actions.map(\.key).joined(separator: " and ")
            reader.report(actions[1].keyNode, actions[1].path,
                          "a task has exactly one of run, command or container, not \(names); remove all but one")
        }
        for action in actions {
            let read = readAction(action)
            if actions.count == 1 { task.action = read }
        }
        for dependency in entries {
            switch DependencyKind(key: dependency.key) {
            case .required: task.dependsOn = readDependencies(dependency)
            case .completionOnly: task.after = readDependencies(dependency)
            case nil: break
            }
        }
        task.settings = readSettings(entries)
        task.references = readReferences(entries)
        readForeach(entries, into: &task)
        if let slurm = entries.first(where: { $0.key == "slurm" }), let container = actions.first(where: { $0.key == "container" }) {
            reader.report(slurm.keyNode, slurm.path, "a container task cannot run on Slurm; remove slurm or use run or command (\(container.path))")
        }
        return task
    }

    private func readAction(_ entry: NodeReader.Entry) -> TaskAction? {
        switch entry.key {
        case "run":
            return reader.text(entry.value, entry.path, expected: "a shell line, run by /bin/sh -c").map(TaskAction.shell)
        case "command":
            guard let argv = reader.textList(entry.value, entry.path, expected: "a list of arguments, like [python3, transform.py]")
            else { return nil }
            if argv.isEmpty {
                reader.report(entry.value, entry.path, "must name a program to run, like [python3, transform.py]")
                return nil
            }
            return .command(argv)
        default:
            return readContainer(entry.value, entry.path).map(TaskAction.container)
        }
    }

    private func readDependencies(_ entry: NodeReader.Entry) -> [TaskSource.Dependency] {
        if NodeReader.isNull(entry.value) { return [] }
        guard case .sequence(let sequence) = entry.value else {
            reader.typeError(entry.value, entry.path, expected: "a list of task names", hint: NodeReader.asListHint(entry.value))
            return []
        }
        var out: [TaskSource.Dependency] = []
        for (index, item) in sequence.enumerated() {
            guard reader.tick(item) else { break }
            let path = "\(entry.path)[\(index)]"
            if let name = reader.text(item, path, expected: "a task name") {
                out.append(.init(name: name, node: item, path: path))
            }
        }
        return out
    }

    /// The settings a task and `defaults` share: retry, timeout, env, workdir, the log limit and slurm.
    func readSettings(_ entries: [NodeReader.Entry]) -> TaskSettings {
        var settings = TaskSettings()
        for entry in entries where !NodeReader.isNull(entry.value) {
            switch entry.key {
            case "retry": settings.retry = readRetry(entry.value, entry.path)
            case "timeout": settings.timeout = reader.duration(entry.value, entry.path)
            case "env": settings.env = reader.environment(entry.value, entry.path)
            case "workdir": settings.workdir = reader.text(entry.value, entry.path, expected: "a folder path")
            case "log_limit": settings.logLimit = reader.byteSize(entry.value, entry.path, atLeast: LogLimit.minimumBytes)
            case "log_limit_action": settings.logLimitAction = reader.choice(entry.value, entry.path, of: LogLimit.Action.self)
            case "slurm": settings.slurm = readSlurm(entry.value, entry.path) ?? SlurmOptions()
            default: break
            }
        }
        return settings
    }

    /// `retry`: a number of retries, or the long form.
    private func readRetry(_ node: YAMLNode, _ path: String) -> RetryPolicy? {
        let limits = 0...JobFileFormat.maximumRetries
        guard case .mapping = node else {
            return reader.integer(node, path, in: limits, expected: "an integer or a mapping").map { RetryPolicy(limit: $0) }
        }
        guard let entries = reader.entries(node, path) else { return nil }
        reader.rejectUnknown(entries, known: JobFileFormat.retryKeys)
        var policy = RetryPolicy()
        var valid = true
        var maxDelayNode: (YAMLNode, String)?
        func set<T>(_ value: T?, _ apply: (T) -> Void) {
            if let value { apply(value) } else { valid = false }
        }
        for entry in entries {
            let value = entry.value, path = entry.path
            switch entry.key {
            case "limit": set(reader.integer(value, path, in: limits)) { policy.limit = $0 }
            case "delay": set(reader.duration(value, path, allowZero: true)) { policy.delay = $0 }
            case "backoff":
                set(reader.number(value, path, atLeast: 1, atMost: JobFileFormat.maximumBackoff)) { policy.backoff = $0 }
            case "max_delay":
                maxDelayNode = (value, path)
                set(reader.duration(value, path, allowZero: true)) { policy.maxDelay = $0 }
            case "jitter": set(reader.number(value, path, atLeast: 0, atMost: 1)) { policy.jitter = $0 }
            case "on_exit_codes": set(readExitCodes(value, path)) { policy.onExitCodes = $0 }
            default: break
            }
        }
        if valid, policy.maxDelay < policy.delay {
            let (node, at) = maxDelayNode ?? (node, path)
            reader.report(node, at, "max_delay (\(DurationText.format(policy.maxDelay))) is shorter than delay (\(DurationText.format(policy.delay))); make it at least as long")
            return nil
        }
        return valid ? policy : nil
    }

    private func readExitCodes(_ node: YAMLNode, _ path: String) -> [Int32]? {
        guard case .sequence(let sequence) = node else {
            reader.typeError(node, path, expected: "a list of exit codes, like [1, 75]")
            return nil
        }
        if sequence.isEmpty {
            reader.report(node, path, "lists no exit codes; list at least one, or remove the key to retry any failure")
            return nil
        }
        var codes: [Int32] = []
        for (index, item) in sequence.enumerated() {
            guard reader.tick(item) else { return nil }
            if let code = reader.integer(item, "\(path)[\(index)]", in: 1...255,
                                         hint: "; exit codes run from 1 to 255 (0 is success and never retried)") {
                codes.append(Int32(code))
            }
        }
        return codes.count == sequence.count ? codes : nil
    }
}
