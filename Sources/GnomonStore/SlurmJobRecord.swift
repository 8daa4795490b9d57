/// The Slurm job of an attempt: its id from the store (`attempts.slurm_job_id`), its node and
/// state as the daemon last saw them (kept beside the attempt's log, filled in by whoever shows
/// the attempt; nil when read from the store alone).
public struct SlurmJobRecord: Sendable, Hashable, Codable {
    /// The job's id; nil while it is not known (an attempt recorded by recovery, whose job is
    /// found by its token).
    public var id: String?
    public var node: String?
    /// `PENDING (Priority)`, `RUNNING on node1`, `COMPLETED on node1`, ...
    public var state: String?

    public init(id: String?, node: String? = nil, state: String? = nil) {
        self.id = id
        self.node = node
        self.state = state
    }

    enum CodingKeys: String, CodingKey {
        case id = "job_id", node, state
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(node, forKey: .node)
        try container.encode(state, forKey: .state)
    }
}
