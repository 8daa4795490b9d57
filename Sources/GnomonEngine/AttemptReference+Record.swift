import GnomonExecution
import GnomonStore

extension AttemptReference {
    /// The reference an attempt was recorded with, if any. The store keeps one kind of reference
    /// today, a container's name (`attempts.container_name`).
    init?(recordedIn attempt: AttemptRecord) {
        guard let name = attempt.containerName else { return nil }
        self = .container(name)
    }

    /// The reference as the store records it: the container's name.
    var recordedContainerName: String? {
        kind == .container ? identifier : nil
    }
}
