/// The dependency graph of one job's tasks, validated: every edge names a real task, no task
/// depends on itself, and there are no cycles.
public struct TaskGraph: Sendable, Hashable {
    /// Task names in the file's order.
    public let names: [String]
    /// For each task, its upstream tasks and whether each edge is required (`depends_on`).
    public let upstream: [String: [Edge]]
    /// For each task, the tasks that wait on it.
    public let downstream: [String: [String]]
    /// A topological order (upstream before downstream), stable with respect to the file's order.
    public let topologicalOrder: [String]
    /// Each task's position in `topologicalOrder`.
    public let topologicalIndex: [String: Int]

    /// An edge from an upstream task.
    public struct Edge: Sendable, Hashable {
        public let from: String
        /// `depends_on` (must have succeeded) rather than `after` (must have finished).
        public let required: Bool
    }

    /// A problem with the graph, naming the task and the dependency list it is in.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// `task` lists `dependency` under `list` (`depends_on` or `after`) but no such task exists.
        case unknownDependency(task: String, list: String, dependency: String, suggestion: String?)
        case selfDependency(task: String, list: String)
        /// The same upstream is listed twice (in one list or across both).
        case duplicateDependency(task: String, list: String, dependency: String)
        /// A cycle, as a path that starts and ends at the same task.
        case cycle([String])

        public var description: String {
            switch self {
            case let .unknownDependency(task, list, dependency, suggestion):
                let hint = suggestion.map { "; did you mean \"\($0)\"?" } ?? "; define it under tasks or remove it from \(list)"
                return "task \"\(task)\" \(list) unknown task \"\(dependency)\"\(hint)"
            case let .selfDependency(task, list):
                return "task \"\(task)\" lists itself in \(list); remove it"
            case let .duplicateDependency(task, list, dependency):
                return "task \"\(task)\" lists \"\(dependency)\" more than once (again in \(list)); keep one"
            case let .cycle(path):
                return "dependency cycle: \(path.joined(separator: " -> ")); remove one of these edges"
            }
        }
    }

    /// Every problem found in one graph.
    public struct Problems: Error, Sendable, Hashable {
        public let all: [Problem]
    }

    /// Builds the graph, or returns every problem found.
    public static func build(_ tasks: [TaskSpec]) -> Result<TaskGraph, Problems> {
        var problems: [Problem] = []
        let names = tasks.map(\.name)
        let known = Set(names)
        var upstream: [String: [Edge]] = [:]
        var downstream: [String: [String]] = Dictionary(uniqueKeysWithValues: names.map { ($0, []) })
        for task in tasks {
            var edges: [Edge] = []
            var seen = Set<String>()
            for (list, deps, required) in [("depends_on", task.dependsOn, true), ("after", task.after, false)] {
                for dep in deps {
                    if dep == task.name {
                        problems.append(.selfDependency(task: task.name, list: list))
                    } else if !known.contains(dep) {
                        problems.append(.unknownDependency(
                            task: task.name, list: list, dependency: dep,
                            suggestion: Suggest.closest(to: dep, among: names)))
                    } else if !seen.insert(dep).inserted {
                        problems.append(.duplicateDependency(task: task.name, list: list, dependency: dep))
                    } else {
                        edges.append(Edge(from: dep, required: required))
                        downstream[dep, default: []].append(task.name)
                    }
                }
            }
            upstream[task.name] = edges
        }
        problems += findCycles(names: names, upstream: upstream).map(Problem.cycle)
        if !problems.isEmpty { return .failure(Problems(all: problems)) }
        return .success(TaskGraph(names: names, upstream: upstream, downstream: downstream))
    }

    private init(names: [String], upstream: [String: [Edge]], downstream: [String: [String]]) {
        self.names = names
        self.upstream = upstream
        self.downstream = downstream
        let order = Self.order(names: names, upstream: upstream, downstream: downstream)
        self.topologicalOrder = order
        self.topologicalIndex = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    }

    /// Tasks with no upstream.
    public var roots: [String] { names.filter { upstream[$0]?.isEmpty ?? true } }

    /// Kahn's algorithm, taking tasks in the file's order when several are free.
    private static func order(names: [String], upstream: [String: [Edge]], downstream: [String: [String]]) -> [String] {
        var remaining = Dictionary(uniqueKeysWithValues: names.map { ($0, upstream[$0]?.count ?? 0) })
        var order: [String] = []
        var queue = names.filter { remaining[$0] == 0 }
        var index = 0
        while index < queue.count {
            let name = queue[index]
            index += 1
            order.append(name)
            for next in downstream[name] ?? [] {
                remaining[next]! -= 1
                if remaining[next] == 0 { queue.append(next) }
            }
        }
        return order
    }

    /// Every distinct elementary cycle reachable by depth-first search, each reported once, as a
    /// path in dependency order (`a -> b -> a` means b depends on a and a on b).
    static func findCycles(names: [String], upstream: [String: [Edge]]) -> [[String]] {
        // Colours: 0 unvisited, 1 on the current path, 2 done.
        var colour: [String: Int] = [:]
        var stack: [String] = []
        var cycles: [[String]] = []
        var seenCycles = Set<[String]>()
        var downstreamOf: [String: [String]] = [:]
        for name in names {
            for edge in upstream[name] ?? [] { downstreamOf[edge.from, default: []].append(name) }
        }
        func visit(_ node: String) {
            colour[node] = 1
            stack.append(node)
            for next in downstreamOf[node] ?? [] {
                switch colour[next, default: 0] {
                case 0: visit(next)
                case 1:
                    let start = stack.lastIndex(of: next)!
                    let loop = Array(stack[start...])
                    // Rotate so the smallest name leads, to report each cycle once.
                    let pivot = loop.firstIndex(of: loop.min()!)!
                    let canonical = Array(loop[pivot...] + loop[..<pivot])
                    if seenCycles.insert(canonical).inserted { cycles.append(canonical + [canonical[0]]) }
                default: break
                }
            }
            stack.removeLast()
            colour[node] = 2
        }
        for name in names where colour[name, default: 0] == 0 { visit(name) }
        return cycles
    }
}
