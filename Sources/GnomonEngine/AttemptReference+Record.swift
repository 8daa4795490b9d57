import GnomonExecution
import GnomonStore

extension AttemptReference {
    /// The reference an attempt was recorded with, if any: a Slurm job (`attempts.slurm_job_id`,
    /// empty while its id is not known) or a container's name (`attempts.container_name`).
    init?(recordedIn attempt: AttemptRecord) {
        if let job = attempt.slurm {
            self = .slurm(job.id ?? "")
        } else if let name = attempt.containerName {
            self = .container(name)
        } else {
            return nil
        }
    }

    /// The container's name, as the store records it; nil for any other reference.
    var recordedContainerName: String? {
        kind == .container ? identifier : nil
    }

    /// The Slurm job's id ('' when not known), as the store records it; nil for any other reference.
    var recordedSlurmJob: String? {
        kind == .slurm ? identifier : nil
    }
}
