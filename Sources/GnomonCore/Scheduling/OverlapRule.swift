/// What to do with a fire time given the job's `overlap` policy and the runs it has going.
public enum OverlapDecision: Sendable, Hashable {
    /// Start a run now.
    case start
    /// Record the time as skipped, for this reason.
    case skip(reason: String)
    /// Keep it as the one pending run, started when the current runs end.
    case enqueue
    /// Cancel these runs (and drop any pending one), then start a run now.
    case replace(cancel: [Int64])
}

/// The overlap decision, as a pure function of the policy and what the job has going.
public enum OverlapRule {
    /// - Parameters:
    ///   - running: ids of the job's runs still executing, oldest first.
    ///   - pending: how many runs of the job wait for those to end (a queued time, a catch-up backlog).
    public static func decide(policy: OverlapPolicy, running: [Int64], pending: Int) -> OverlapDecision {
        if running.isEmpty && pending == 0 { return .start }
        switch policy {
        case .allow:
            return .start
        case .skip:
            return .skip(reason: busy(running, pending))
        case .queue:
            if pending == 0 { return .enqueue }
            return .skip(reason: busy(running, pending) + "; overlap queue keeps one pending run")
        case .replace:
            return .replace(cancel: running)
        }
    }

    /// `run 41 still running`, `runs 41, 42 still running; 1 waiting`.
    static func busy(_ running: [Int64], _ pending: Int) -> String {
        var parts: [String] = []
        if !running.isEmpty {
            let ids = running.map(String.init).joined(separator: ", ")
            parts.append("run\(running.count == 1 ? "" : "s") \(ids) still running")
        }
        if pending > 0 { parts.append("\(pending) run\(pending == 1 ? "" : "s") waiting") }
        return parts.joined(separator: "; ")
    }
}
