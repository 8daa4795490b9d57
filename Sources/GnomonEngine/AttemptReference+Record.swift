import GnomonExecution
import GnomonStore

extension AttemptReference {
    /// The reference an attempt was recorded with, if any. The store keeps it in one column
    /// (`attempts.container_name`): a container's name, or `slurm:ID` for a Slurm job.
    init?(recordedIn attempt: AttemptRecord) {
        guard let name = attempt.containerName else { return nil }
        if name.hasPrefix(Self.slurmPrefix) {
            self = .slurm(String(name.dropFirst(Self.slurmPrefix.count)))
        } else {
            self = .container(name)
        }
    }

    /// The reference as the store records it: the container's name, or `slurm:ID`.
    var recordedContainerName: String? {
        switch kind {
        case .container: return identifier
        case .slurm: return Self.slurmPrefix + identifier
        case .local: return nil
        }
    }

    /// Marks a Slurm job's id in the reference column; a container's name cannot contain `:`.
    static let slurmPrefix = "slurm:"
}
