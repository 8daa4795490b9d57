/// Where a task may hold references to upstream outputs (`${{ tasks.NAME.outputs.KEY }}`), how
/// each is checked against the job's tasks, and how they are resolved when the task starts.
///
/// References are resolved in `command` arguments, `env` values, and a container's `image`,
/// `command`, `env`, `workdir` and `user`; never in a shell `run` line (substituting text into
/// shell code invites injection: the value goes through `env` instead). A reference may name
/// only a task listed under the referring task's own `depends_on`: that task has succeeded
/// before this one starts, so its outputs exist.
public enum OutputReferences {
    /// The task fields whose references are resolved, as the messages name them.
    public static let resolvedFields = "command arguments, env values and a container's image, command, env, workdir and user"

    /// Why a reference cannot be used where it is written.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// No task of the job has that name.
        case unknownTask(String, suggestion: String?)
        /// The task exists but is not listed under the referring task's `depends_on` or `after`.
        case notUpstream(task: String, referrer: String)
        /// The task is listed only under `after`: it may have failed without writing the output.
        case onlyAfter(task: String, referrer: String)
        /// `${{ item }}` in a task that is not a fan-out.
        case itemOutsideForeach
        /// A reference in a shell `run` line.
        case inShellLine(TemplateText.Reference)
        /// `${{` in a field that does not resolve references, and whose text would be used as written.
        case notResolvedHere(field: String)

        public var description: String {
            switch self {
            case let .unknownTask(task, suggestion):
                let hint = suggestion.map { "; did you mean \"\($0)\"?" } ?? "; name a task of this job listed under depends_on"
                return "no task is named \"\(task)\"\(hint)"
            case let .notUpstream(task, referrer):
                return "\"\(task)\" is not upstream of \(referrer); add it to \(referrer)'s depends_on, so that it succeeds before \(referrer) starts"
            case let .onlyAfter(task, referrer):
                return "\"\(task)\" is listed under after, so it may have failed without writing this output; move it to \(referrer)'s depends_on (or read $GNOMON_INPUTS, which holds the outputs of the upstream tasks that succeeded)"
            case .itemOutsideForeach:
                return "${{ item }} is the item of a foreach task, and this task has no foreach"
            case .inShellLine(let reference):
                return "\(reference) cannot be used in a shell run line: substituting text into shell code invites injection; pass it through env instead, for example  env: { VALUE: \"\(reference)\" }  and write \"$VALUE\" in the line"
            case .notResolvedHere(let field):
                return "\(field) does not resolve references (${{ ... }}); they are resolved only in \(OutputReferences.resolvedFields)"
            }
        }
    }

    /// The problem with `reference` written in a task whose dependencies are `dependsOn` and
    /// `after`, in a job whose tasks are `names`; nil when it may be used. `${{ item }}` may be
    /// used only in a task with `foreach` (`isForeach`).
    public static func problem(
        with reference: TemplateText.Reference, referrer: String, dependsOn: [String], after: [String], names: [String],
        isForeach: Bool = false
    ) -> Problem? {
        switch reference {
        case .item:
            return isForeach ? nil : .itemOutsideForeach
        case .output(let task, _):
            if dependsOn.contains(task) { return nil }
            if after.contains(task) { return .onlyAfter(task: task, referrer: referrer) }
            guard names.contains(task) else {
                return .unknownTask(task, suggestion: Suggest.closest(to: task, among: names.filter { $0 != referrer }))
            }
            return .notUpstream(task: task, referrer: referrer)
        }
    }

    /// One text of a task that resolves references, with its key path below the task
    /// (`command[1]`, `env.DAY`, `container.image`).
    public struct Field: Sendable, Hashable {
        public var path: String
        public var text: String
    }

    /// The texts of `task` whose references are resolved when it starts.
    public static func fields(of task: TaskSpec) -> [Field] {
        var fields: [Field] = []
        _ = forEachField(of: task) { text, path in
            fields.append(Field(path: path(), text: text))
            return true
        }
        return fields
    }

    /// Calls `visit` with each text of ``fields(of:)``, in order, and its key path (made only when
    /// asked for), until `visit` returns false; false if it did.
    private static func forEachField(of task: TaskSpec, _ visit: (String, () -> String) -> Bool) -> Bool {
        func argv(_ arguments: [String], _ path: String) -> Bool {
            for (index, argument) in arguments.enumerated() where !visit(argument, { "\(path)[\(index)]" }) { return false }
            return true
        }
        func map(_ values: [String: String], _ path: String) -> Bool {
            for key in values.keys.sorted() where !visit(values[key]!, { "\(path).\(key)" }) { return false }
            return true
        }
        switch task.action {
        case .shell: break
        case .command(let arguments): guard argv(arguments, "command") else { return false }
        case .slurm(let slurm):
            if case .command(let arguments) = slurm.program { guard argv(arguments, "command") else { return false } }
        case .container(let container):
            guard visit(container.image, { "container.image" }), argv(container.command ?? [], "container.command"),
                  map(container.env, "container.env") else { return false }
            if let workdir = container.workdir { guard visit(workdir, { "container.workdir" }) else { return false } }
            if let user = container.user { guard visit(user, { "container.user" }) else { return false } }
        }
        return map(task.env, "env")
    }

    /// Every problem of the references in `spec`'s tasks, each with its task and key path below
    /// it, in the order of the tasks: what ``ValidJob`` checks (the job-file loader reports the
    /// same problems at their lines).
    public static func problems(in spec: JobSpec) -> [(task: String, path: String, problem: Problem)] {
        let names = spec.tasks.map(\.name)
        var found: [(task: String, path: String, problem: Problem)] = []
        for task in spec.tasks {
            let shellLine: String?
            switch task.action {
            case .shell(let line): shellLine = line
            case .slurm(let slurm): if case .shell(let line) = slurm.program { shellLine = line } else { shellLine = nil }
            case .command, .container: shellLine = nil
            }
            if let shellLine, case .success(let template) = TemplateText.parse(shellLine), let first = template.references.first {
                found.append((task.name, "run", .inShellLine(first)))
            }
            for field in fields(of: task) where mayHoldReference(field.text) {
                guard case .success(let template) = TemplateText.parse(field.text) else { continue }
                for reference in template.references {
                    if let problem = problem(with: reference, referrer: task.name, dependsOn: task.dependsOn,
                                             after: task.after, names: names, isForeach: task.foreach != nil) {
                        found.append((task.name, field.path, problem))
                    }
                }
            }
            if case let .output(upstream, key) = task.foreach,
               let problem = problem(with: .output(task: upstream, key: key), referrer: task.name,
                                     dependsOn: task.dependsOn, after: task.after, names: names) {
                found.append((task.name, "foreach", problem))
            }
        }
        return found
    }

    /// Why a task's references could not be resolved when it was about to start: the could-not-start reason.
    public struct Unresolved: Error, Sendable, Hashable, CustomStringConvertible {
        public var reference: TemplateText.Reference
        public var path: String
        public var reason: String

        public var description: String { "\(path): \(reference): \(reason)" }
    }

    /// `task` with every reference in its ``fields(of:)`` replaced by its value.
    ///
    /// - Parameters:
    ///   - outputs: the outputs of each upstream task that succeeded in this run, by task (a task
    ///     that succeeded without writing any is present with none).
    ///   - item: the item of a fan-out instance; `nil` for any other task.
    public static func resolve(
        _ task: TaskSpec, outputs: [String: [String: String]], item: String? = nil
    ) -> Result<TaskSpec, Unresolved> {
        // Most tasks hold no reference: they start as written, without a copy of their fields.
        guard holdsReference(task) else { return .success(task) }
        var failure: Unresolved?
        func value(_ text: String, _ path: @autoclosure () -> String) -> String {
            guard failure == nil, mayHoldReference(text), case .success(let template) = TemplateText.parse(text) else { return text }
            let resolved = template.resolve { reference in
                switch reference {
                case .item: return item
                case .output(let name, let key): return outputs[name]?[key]
                }
            }
            switch resolved {
            case .success(let text): return text
            case .failure(let reference):
                failure = Unresolved(reference: reference, path: path(), reason: reason(reference, outputs: outputs))
                return text
            }
        }
        func argv(_ arguments: [String], _ path: String) -> [String] {
            arguments.enumerated().map { value($1, "\(path)[\($0)]") }
        }
        var resolved = task
        switch task.action {
        case .shell: break
        case .command(let arguments): resolved.action = .command(argv(arguments, "command"))
        case .slurm(var slurm):
            if case .command(let arguments) = slurm.program {
                slurm.program = .command(argv(arguments, "command"))
                resolved.action = .slurm(slurm)
            }
        case .container(var container):
            container.image = value(container.image, "container.image")
            container.command = container.command.map { argv($0, "container.command") }
            for key in container.env.keys.sorted() { container.env[key] = value(container.env[key]!, "container.env.\(key)") }
            container.workdir = container.workdir.map { value($0, "container.workdir") }
            container.user = container.user.map { value($0, "container.user") }
            resolved.action = .container(container)
        }
        for key in task.env.keys.sorted() { resolved.env[key] = value(task.env[key]!, "env.\(key)") }
        if let failure { return .failure(failure) }
        return .success(resolved)
    }

    /// Whether any of the texts ``resolve(_:outputs:item:)`` looks at may hold a reference.
    static func holdsReference(_ task: TaskSpec) -> Bool {
        !forEachField(of: task) { text, _ in !mayHoldReference(text) }
    }

    /// Whether `text` holds `${{`, by its bytes (Foundation's `contains` compares as text, far
    /// slower, and this runs for every field of every attempt): where references are looked for.
    public static func mayHoldReference(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard bytes.count >= 3 else { return false }
            for index in 0..<(bytes.count - 2)
            where bytes[index] == UInt8(ascii: "$") && bytes[index + 1] == UInt8(ascii: "{") && bytes[index + 2] == UInt8(ascii: "{") {
                return true
            }
            return false
        }
    }

    private static func reason(_ reference: TemplateText.Reference, outputs: [String: [String: String]]) -> String {
        switch reference {
        case .item:
            return "this task is not an instance of a foreach task, so it has no item"
        case .output(let task, let key):
            guard outputs[task] != nil else {
                return "\(task) has not succeeded in this run, so it has no outputs (a run of chosen tasks with --task leaves it out: choose \(task) too)"
            }
            return "\(task) succeeded without writing \(key) to $GNOMON_OUTPUT; write a line \(key)=VALUE to that file"
        }
    }
}
