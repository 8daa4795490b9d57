import GnomonCore
import GnomonStore

/// The rows `gnomon show` gives the instances of a run's foreach tasks: counts by state for
/// each task, and which instances are listed.
struct FanOutRows {
    /// Instances listed in full up to this many per task; past it, only those that did not
    /// succeed (at most this many) unless `--instances` asks for all.
    static let instancesInFull = 10

    /// The instances listed under each foreach task, in item order.
    private(set) var shown: [String: [TaskRecord]] = [:]
    /// How many instances of each foreach task are not listed.
    private(set) var hidden: [String: Int] = [:]
    /// The names of the instances not listed (their attempts are left out too).
    private(set) var hiddenNames: Set<String> = []
    private var counts: [String: [TaskStatus: Int]] = [:]
    private var totals: [String: Int] = [:]

    init(_ detail: RunDetail, all: Bool) {
        var byTask: [String: [TaskRecord]] = [:]
        for task in detail.tasks {
            guard let of = task.instanceOf else { continue }
            byTask[of, default: []].append(task)
        }
        for (task, instances) in byTask {
            let ordered = instances.sorted { ($0.index ?? 0) < ($1.index ?? 0) }
            totals[task] = ordered.count
            counts[task] = ordered.reduce(into: [:]) { $0[$1.status, default: 0] += 1 }
            let listed = all || ordered.count <= Self.instancesInFull
                ? ordered : Array(ordered.filter { $0.status != .succeeded }.prefix(Self.instancesInFull))
            shown[task] = listed
            hidden[task] = ordered.count - listed.count
            let listedNames = Set(listed.map(\.name))
            for instance in ordered where !listedNames.contains(instance.name) { hiddenNames.insert(instance.name) }
        }
        // A foreach task that fanned out to nothing has no instance to count: known from the job's
        // definition when the run was read with it (`show --json`; the text reads runs without it).
        let statuses = Dictionary(detail.tasks.map { ($0.name, $0.status) }, uniquingKeysWith: { first, _ in first })
        for task in detail.snapshot.tasks where task.foreach != nil && totals[task.name] == nil {
            if statuses[task.name] == .succeeded { totals[task.name] = 0 }
        }
    }

    /// `foreach 40 items: 38 succeeded, 2 failed` for a foreach task that fanned out; nil otherwise.
    func summary(of task: String) -> String? {
        guard let total = totals[task] else { return nil }
        let head = "foreach \(total) item\(total == 1 ? "" : "s")"
        let parts = TaskStatus.allCases.compactMap { status in counts[task]?[status].map { "\($0) \(status.rawValue)" } }
        return parts.isEmpty ? head : head + ": " + parts.joined(separator: ", ")
    }
}
