import GnomonCore

/// `gnomon graph`: a job's task graph drawn as text, DOT or Mermaid.
public enum JobGraph {
    public static func render(job name: String, format: TaskGraph.Format, settings: GlobalSettings) throws(AppError) -> String {
        let job = try JobCatalog.job(named: name, in: settings.jobsDirectory)
        return job.graph.render(format, job: job.name, notes: notes(job.spec))
    }

    /// What a foreach task's node says: `foreach 3 items` for a literal list, `foreach
    /// tasks.plan.outputs.files` for an upstream one, and its concurrency.
    static func notes(_ job: JobSpec) -> [String: String] {
        var notes: [String: String] = [:]
        for task in job.tasks {
            guard let source = task.foreach else { continue }
            var note: String
            switch source {
            case .items(let items): note = "foreach \(items.count) item\(items.count == 1 ? "" : "s")"
            case let .output(upstream, key): note = "foreach tasks.\(upstream).outputs.\(key)"
            }
            if let limit = task.concurrency { note += ", \(limit) at once" }
            notes[task.name] = note
        }
        return notes
    }
}
