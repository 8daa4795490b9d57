import Foundation
import GnomonCore

/// Fan-out: reading a foreach task's list, and gathering its instances' outputs for downstream.
extension RunExecution {
    /// The items of a foreach task: its literal list, or the upstream output it names read as a
    /// JSON array of scalars (strings as they are, numbers and booleans as their JSON text). A
    /// value that is missing, not such an array, or longer than the task's limit is refused with
    /// the reason its task fails with.
    static func foreachItems(of spec: TaskSpec, outputs: [String: [String: String]]) -> Result<[String], LaunchRefusal> {
        let items: [String]
        let source: String
        switch spec.foreach {
        case nil:
            return .success([])
        case .items(let literal):
            (items, source) = (literal, "the foreach list")
        case let .output(task, key):
            source = "tasks.\(task).outputs.\(key)"
            guard let published = outputs[task] else {
                return .failure(LaunchRefusal(reason:
                    "foreach: \(task) has not succeeded in this run, so it has no outputs (a run of chosen tasks with --task leaves it out: choose \(task) too)"))
            }
            guard let text = published[key] else {
                return .failure(LaunchRefusal(reason:
                    "foreach: \(task) succeeded without writing \(key) to $GNOMON_OUTPUT; write a line \(key)=[\"a\",\"b\"] (a JSON array) to that file"))
            }
            switch ForeachList.parse(text) {
            case .success(let parsed): items = parsed
            case .failure(let problem): return .failure(LaunchRefusal(reason: "foreach: \(source) \(problem)"))
            }
        }
        let limit = spec.effectiveForeachLimit
        guard items.count <= limit else {
            return .failure(LaunchRefusal(reason:
                "foreach: \(source) has \(items.count) items, more than the limit of \(limit); set foreach_limit on \(spec.name) (at most \(ForeachSource.maximumLimit)) or split the list"))
        }
        return .success(items)
    }

    /// The outputs a foreach task publishes: for each key any instance wrote (and each key
    /// in `keys`, which references downstream name), a JSON array in item order of each
    /// instance's value, `null` where an instance wrote none.
    static func gatheredOutputs(
        of task: String, count: Int, outputs: [String: [String: String]], keys: Set<String>
    ) -> [String: String] {
        var all = keys
        var instances: [[String: String]] = []
        instances.reserveCapacity(count)
        for index in 0..<count {
            let published = outputs[ForeachSource.instanceName(task, index)] ?? [:]
            all.formUnion(published.keys)
            instances.append(published)
        }
        var gathered: [String: String] = [:]
        for key in all {
            let values = instances.map { $0[key] }
            gathered[key] = (try? String(decoding: JSONEncoder.gathering.encode(values), as: UTF8.self)) ?? "[]"
        }
        return gathered
    }

    /// The output keys of each task that the job's references name (in fields and in `foreach`).
    static func referencedKeys(_ job: JobSpec) -> [String: Set<String>] {
        var keys: [String: Set<String>] = [:]
        for task in job.tasks {
            if case let .output(upstream, key) = task.foreach { keys[upstream, default: []].insert(key) }
            for field in OutputReferences.fields(of: task) where OutputReferences.mayHoldReference(field.text) {
                guard case .success(let template) = TemplateText.parse(field.text) else { continue }
                for case let .output(upstream, key) in template.references { keys[upstream, default: []].insert(key) }
            }
        }
        return keys
    }

    /// The names of the run's tasks (not its instances).
    func graphNames(_ run: PreparedRun) -> [String] { run.machine.graph.names }
}

extension JSONEncoder {
    /// Compact, slashes as written: gathered outputs read as a task wrote them.
    fileprivate static var gathering: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }
}

/// A foreach list written by an upstream task: a JSON array of scalars.
enum ForeachList {
    /// One element: a scalar's text, or what else it was.
    private enum Element: Decodable {
        case scalar(String)
        case other(String)

        init(from decoder: any Decoder) throws {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() { self = .other("null"); return }
            if let text = try? value.decode(String.self) { self = .scalar(text); return }
            if let flag = try? value.decode(Bool.self) { self = .scalar(flag ? "true" : "false"); return }
            if let number = try? value.decode(Int64.self) { self = .scalar(String(number)); return }
            if let number = try? value.decode(Double.self) { self = .scalar(String(number)); return }
            self = .other("an array or an object")
        }
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    /// The items of `text`, or what is wrong with it (completing "tasks.X.outputs.K ...").
    static func parse(_ text: String) -> Result<[String], Problem> {
        let elements: [Element]
        do {
            elements = try JSONDecoder().decode([Element].self, from: Data(text.utf8))
        } catch {
            let shown = text.count > 60 ? String(text.prefix(60)) + "..." : text
            return .failure(Problem(description: "is not a JSON array (got \(shown.debugDescription)); write it as a JSON array of strings or numbers, like [\"a\",\"b\"]"))
        }
        var items: [String] = []
        items.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            switch element {
            case .scalar(let text): items.append(text)
            case .other(let what):
                return .failure(Problem(description: "item \(index) is \(what), not a string, number or boolean; a foreach list holds scalars only"))
            }
        }
        return .success(items)
    }
}
