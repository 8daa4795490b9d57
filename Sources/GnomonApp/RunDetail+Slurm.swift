import GnomonExecution
import GnomonStore

extension RunDetail {
    /// The run with each Slurm attempt's node and state as the daemon last saw them (its
    /// `LOG.slurm`); the store holds only the job's id. An attempt without the file keeps nil.
    func withSlurmStates() -> RunDetail {
        var detail = self
        for index in detail.attempts.indices {
            guard var job = detail.attempts[index].slurm,
                  let saved = SlurmStateFile.read(logPath: detail.attempts[index].logPath) else { continue }
            if job.id == nil, !saved.job.isEmpty { job.id = saved.job }
            job.node = saved.node.isEmpty ? nil : saved.node
            job.state = saved.state
            detail.attempts[index].slurm = job
        }
        return detail
    }
}
