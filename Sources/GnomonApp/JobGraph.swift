import GnomonCore

/// `gnomon graph`: a job's task graph drawn as text, DOT or Mermaid.
public enum JobGraph {
    public static func render(job name: String, format: TaskGraph.Format, settings: GlobalSettings) throws(AppError) -> String {
        let job = try JobCatalog.job(named: name, in: settings.jobsDirectory)
        return job.graph.render(format, job: job.name)
    }
}
