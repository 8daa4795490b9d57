/// What a token may do. Each role includes the ones before it.
public enum Role: String, Sendable, CaseIterable, Comparable, Codable {
    /// See everything: jobs, runs, logs, events, metrics.
    case read
    /// Also trigger, kill, retry, pause and resume.
    case operate
    /// Everything, including what only administrators may do.
    case admin

    private var rank: Int { Role.allCases.firstIndex(of: self)! }

    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// Who made a request: the token's name and role (never the token itself).
public struct Principal: Sendable, Hashable {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}
