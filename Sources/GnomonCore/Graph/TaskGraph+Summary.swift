/// The shape of a graph too big to draw usefully: how many tasks and edges, its roots and leaves,
/// and how many tasks each layer holds.
extension TaskGraph {
    /// Past this many tasks `gnomon graph` prints a ``Summary`` instead of one line per task
    /// (`--full` draws them all): two hundred lines already fill several screens.
    public static let drawingLimit = 200

    /// Counts that describe a graph's shape. A task's layer is the length of the longest path of
    /// dependencies that leads to it: roots are layer 1, and a task is one layer below the
    /// deepest of its upstream tasks, so every task of a layer may run once the layers above
    /// are done.
    public struct Summary: Sendable, Hashable {
        public let tasks: Int
        /// Dependency edges, `depends_on` and `after` together.
        public let edges: Int
        /// Tasks with no upstream.
        public let roots: Int
        /// Tasks nothing waits on.
        public let leaves: Int
        /// Tasks per layer, the first layer first.
        public let layerSizes: [Int]

        public init(tasks: Int, edges: Int, roots: Int, leaves: Int, layerSizes: [Int]) {
            self.tasks = tasks
            self.edges = edges
            self.roots = roots
            self.leaves = leaves
            self.layerSizes = layerSizes
        }

        /// The widest layer: its number (from 1) and size; the first such layer if several tie.
        public var widestLayer: (layer: Int, tasks: Int) {
            var best = (layer: 0, tasks: 0)
            for (index, size) in layerSizes.enumerated() where size > best.tasks { best = (index + 1, size) }
            return best
        }
    }

    /// The graph's ``Summary``, in one pass over the topological order.
    public var summary: Summary {
        var layer: [String: Int] = [:]
        layer.reserveCapacity(names.count)
        var sizes: [Int] = []
        var edges = 0
        for name in topologicalOrder {
            let incoming = upstream[name] ?? []
            edges += incoming.count
            let depth = (incoming.map { layer[$0.from]! }.max() ?? 0) + 1
            layer[name] = depth
            if depth > sizes.count { sizes.append(0) }
            sizes[depth - 1] += 1
        }
        return Summary(
            tasks: names.count, edges: edges,
            roots: names.count(where: { upstream[$0]?.isEmpty ?? true }),
            leaves: names.count(where: { downstream[$0]?.isEmpty ?? true }),
            layerSizes: sizes)
    }
}

extension TaskGraph.Summary {
    /// The summary as `gnomon graph` prints it: the counts, then the layers, runs of layers of
    /// equal size on one line (`layers 2-100: 1000 tasks each`).
    public func text(job: String, tasks limit: Int) -> String {
        let widest = widestLayer
        var lines = [
            "job \(job): \(tasks) tasks, \(edges) dependencies, \(layerSizes.count) layers "
                + "(more than \(limit) tasks: a summary, not a drawing)",
            "roots: \(roots) (no upstream); leaves: \(leaves) (nothing waits on them)",
            "widest layer: layer \(widest.layer), \(widest.tasks) tasks",
            "tasks per layer (a task's layer is 1 + the deepest layer it waits on):",
        ]
        var start = 0
        while start < layerSizes.count {
            var end = start
            while end + 1 < layerSizes.count, layerSizes[end + 1] == layerSizes[start] { end += 1 }
            let size = layerSizes[start], noun = size == 1 ? "task" : "tasks"
            lines.append(start == end
                ? "  layer \(start + 1): \(size) \(noun)"
                : "  layers \(start + 1)-\(end + 1): \(size) \(noun) each")
            start = end + 1
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
