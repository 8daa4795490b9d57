import Foundation
import GnomonCore

/// Turns a composed job file into a `ValidJob`, reporting every problem through its `NodeReader`.
///
/// The top-level keys are read here; the schedule, the tasks and the dependency graph are read in
/// the `JobReader+...` extensions.
struct JobReader {
    let reader: NodeReader
    /// The channel names a rule may name; `nil` leaves them unchecked.
    var channels: Set<String>? = nil

    /// The job with the graph and schedule built while checking it, or `nil` if any problem was
    /// reported.
    func read(root: YAMLNode, name: String, directory: String) -> ValidJob? {
        guard let entries = reader.entries(
            root, "", expected: "a mapping of keys such as tasks: and schedule:") else { return nil }
        reader.rejectUnknown(entries, known: JobFileFormat.jobKeys)
        var job = JobSpec(name: name, tasks: [], directory: directory)
        var defaults = TaskSettings()
        var schedule: JobSchedule?
        var taskNode: YAMLNode?
        var tasksPath = "tasks"
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "description":
                if !NodeReader.isNull(value) { job.description = reader.text(value, entry.path, allowEmpty: true) }
            case "schedule":
                if !NodeReader.isNull(value) {
                    schedule = readSchedule(value, entry.path)
                    job.schedule = schedule?.spec
                }
            case "overlap":
                job.overlap = reader.choice(value, entry.path, of: OverlapPolicy.self) ?? job.overlap
            case "catchup":
                job.catchup = reader.choice(value, entry.path, of: CatchupPolicy.self) ?? job.catchup
            case "paused":
                job.paused = reader.bool(value, entry.path) ?? job.paused
            case "timeout":
                if !NodeReader.isNull(value) { job.timeout = reader.duration(value, entry.path) }
            case "concurrency":
                if !NodeReader.isNull(value) {
                    job.concurrency = reader.integer(
                        value, entry.path, in: 1...JobFileFormat.maximumConcurrency,
                        hint: "; remove the key for no per-run limit")
                }
            case "notify":
                if !NodeReader.isNull(value) {
                    job.notify = NotifyReader(reader: reader, channels: channels).rules(value, entry.path)
                }
            case "late_after":
                if !NodeReader.isNull(value) { job.lateAfter = reader.duration(value, entry.path) }
            case "expect_success_every":
                if !NodeReader.isNull(value) { job.expectSuccessEvery = reader.duration(value, entry.path) }
            case "keep":
                if !NodeReader.isNull(value) { job.keep = reader.keep(value, entry.path) }
            case "defaults":
                if !NodeReader.isNull(value) { defaults = readDefaults(value, entry.path) }
            case "tasks":
                taskNode = value
                tasksPath = entry.path
            default:
                break
            }
        }
        guard let taskNode else {
            reader.report(line: 1, column: 1, "tasks",
                          "a job needs tasks:; add at least one, for example  tasks: { hello: { run: echo hello } }")
            return nil
        }
        let sources = readTasks(taskNode, tasksPath)
        let graph = checkGraph(sources)
        let names = sources.map(\.name)
        for source in sources { checkReferences(of: source, names: names) }
        guard reader.diagnostics.isEmpty, let graph else { return nil }
        job.tasks = sources.compactMap { $0.spec(defaults: defaults) }
        // Without a reported problem every task has its action, so the graph built from the
        // sources is the spec's.
        return ValidJob(job, graph: graph, schedule: schedule)
    }

    /// `defaults`: task settings every task starts from.
    private func readDefaults(_ node: YAMLNode, _ path: String) -> TaskSettings {
        guard let entries = reader.entries(node, path, expected: "a mapping of task settings") else { return TaskSettings() }
        var special: [String: String] = [:]
        for key in JobFileFormat.actionKeys {
            special[key] = "\(key) cannot have a default; give each task its own run, command or container"
        }
        for key in DependencyKind.allCases.map(\.key) {
            special[key] = "\(key) cannot have a default; list dependencies on each task"
        }
        reader.rejectUnknown(entries, known: JobFileFormat.defaultsKeys, special: special)
        refuseReferencesInDefaults(entries)
        return readSettings(entries)
    }
}
