import GnomonCore

/// `gnomon graph`: a job's task graph drawn as text, DOT or Mermaid.
public enum JobGraph {
    /// The drawing, or in text past ``TaskGraph/drawingLimit`` tasks a summary of the graph's
    /// shape (unless `full`); DOT and Mermaid always draw every task, for the tools that read them.
    public static func render(
        job name: String, format: TaskGraph.Format, full: Bool = false, settings: GlobalSettings
    ) throws(AppError) -> String {
        let job = try JobCatalog.job(named: name, in: settings.jobsDirectory)
        let graph = job.graph
        guard format == .text, !full, graph.names.count > TaskGraph.drawingLimit else {
            return graph.render(format, job: job.name, notes: notes(job.spec))
        }
        return graph.summary.text(job: job.name, tasks: TaskGraph.drawingLimit)
            + "draw every task with `gnomon graph \(job.name) --full`, or as DOT with --format dot "
            + "(e.g. `| dot -Tsvg > graph.svg`)\n"
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
