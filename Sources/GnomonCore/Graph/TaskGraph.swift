/// The dependency graph of one job's tasks, validated: every edge names a real task, no task
/// depends on itself, and there are no cycles.
public struct TaskGraph: Sendable, Hashable {
    /// Task names in the file's order.
    public let names: [String]
    /// For each task, its upstream tasks and the kind of each dependency.
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
        public let kind: DependencyKind

        /// Whether the upstream must have succeeded (rather than only finished).
        public var required: Bool { kind == .required }
    }

    /// A problem with the graph, naming the task and the kind of dependency it is about.
    public enum Problem: Sendable, Hashable, CustomStringConvertible {
        /// `task` waits for `dependency`, but no such task exists.
        case unknownDependency(task: String, kind: DependencyKind, dependency: String, suggestion: String?)
        case selfDependency(task: String, kind: DependencyKind)
        /// The same upstream is listed twice (among one kind or across both); `kind` is the
        /// repeat's.
        case duplicateDependency(task: String, kind: DependencyKind, dependency: String)
        /// A cycle, as a path that starts and ends at the same task.
        case cycle([String])

        public var description: String {
            switch self {
            case let .unknownDependency(task, kind, dependency, suggestion):
                let hint = suggestion.map { "; did you mean \"\($0)\"?" } ?? "; define it or remove the dependency"
                return "task \"\(task)\" \(kind.verb) unknown task \"\(dependency)\"\(hint)"
            case let .selfDependency(task, kind):
                return "task \"\(task)\" \(kind.verb) itself; remove the dependency"
            case let .duplicateDependency(task, kind, dependency):
                return "task \"\(task)\" \(kind.verb) \"\(dependency)\" more than once; keep one"
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
            for (kind, deps) in [(DependencyKind.required, task.dependsOn), (.completionOnly, task.after)] {
                for dep in deps {
                    if dep == task.name {
                        problems.append(.selfDependency(task: task.name, kind: kind))
                    } else if !known.contains(dep) {
                        problems.append(.unknownDependency(
                            task: task.name, kind: kind, dependency: dep,
                            suggestion: Suggest.closest(to: dep, among: names)))
                    } else if !seen.insert(dep).inserted {
                        problems.append(.duplicateDependency(task: task.name, kind: kind, dependency: dep))
                    } else {
                        edges.append(Edge(from: dep, kind: kind))
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

    /// Whether this graph is the one `tasks` describe: the same task names in the same order, and
    /// each task's upstream edges its `dependsOn` then its `after`, in order.
    public func describes(_ tasks: [TaskSpec]) -> Bool {
        guard names.elementsEqual(tasks.lazy.map(\.name)) else { return false }
        return tasks.allSatisfy { task in
            let edges = upstream[task.name] ?? []
            return edges == task.dependsOn.map { Edge(from: $0, kind: .required) }
                + task.after.map { Edge(from: $0, kind: .completionOnly) }
        }
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
        // Depth-first without recursion: a chain of 100,000 tasks is 100,000 levels deep, far
        // more than a thread's stack holds as calls. Each frame is a node on the current path
        // and the index of its next downstream task to look at.
        for root in names where colour[root, default: 0] == 0 {
            var frames: [(node: String, next: Int)] = [(root, 0)]
            colour[root] = 1
            stack.append(root)
            while let frame = frames.popLast() {
                let children = downstreamOf[frame.node] ?? []
                guard frame.next < children.count else {
                    stack.removeLast()
                    colour[frame.node] = 2
                    continue
                }
                let next = children[frame.next]
                frames.append((frame.node, frame.next + 1))
                switch colour[next, default: 0] {
                case 0:
                    colour[next] = 1
                    stack.append(next)
                    frames.append((next, 0))
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
        }
        return cycles
    }
}

/// How a task waits for one of its upstream tasks.
public enum DependencyKind: String, Sendable, Hashable, CaseIterable {
    /// The upstream must have succeeded; if it did not, the task is skipped.
    case required
    /// The upstream must only have finished, whatever its outcome.
    case completionOnly

    /// The kind as a verb phrase: "depends on" or "runs after".
    public var verb: String {
        switch self {
        case .required: return "depends on"
        case .completionOnly: return "runs after"
        }
    }
}
