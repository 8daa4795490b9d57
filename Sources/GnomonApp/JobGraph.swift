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
            return graph.render(format, job: job.name)
        }
        return graph.summary.text(job: job.name, tasks: TaskGraph.drawingLimit)
            + "draw every task with `gnomon graph \(job.name) --full`, or as DOT with --format dot "
            + "(e.g. `| dot -Tsvg > graph.svg`)\n"
    }
}
