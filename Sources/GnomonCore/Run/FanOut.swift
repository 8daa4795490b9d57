/// The instances of one foreach task inside a ``RunMachine``: their items, which of them wait for
/// a launch, and how many run, are unfinished or failed. Every operation is O(1), so a fan-out
/// of ten thousand instances costs ten thousand steps, not their square.
struct FanOut: Sendable {
    let task: String
    /// Each instance's item, by index.
    let items: [String]
    /// At most this many instances at once (the task's `concurrency`); nil for no limit of its own.
    let limit: Int?
    /// Instance indexes waiting for a launch, oldest first: `queue[head...]` is what is left.
    private var queue: [Int] = []
    private var head = 0
    var running = 0
    var unfinished: Int
    /// The indexes of the instances that failed (or were skipped), in the order they ended.
    var failed: [Int] = []
    var cancelled = 0

    init(task: String, items: [String], limit: Int?) {
        self.task = task
        self.items = items
        self.limit = limit
        self.unfinished = items.count
    }

    var hasQueued: Bool { head < queue.count }
    /// Another instance may start as far as the task's own `concurrency` goes.
    var mayLaunch: Bool { limit.map { running < $0 } ?? true }

    mutating func enqueue(_ index: Int) { queue.append(index) }

    /// The next waiting instance, oldest first.
    mutating func dequeue() -> Int? {
        guard head < queue.count else { return nil }
        defer {
            head += 1
            if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
        }
        return queue[head]
    }

    /// Why the foreach task failed: how many instances failed, naming the first few.
    var failureReason: String {
        let shown = failed.prefix(5).map { ForeachSource.instanceName(task, $0) }.joined(separator: ", ")
        let more = failed.count > 5 ? ", ..." : ""
        return "\(failed.count) of \(items.count) instances did not succeed (\(shown)\(more))"
    }
}

/// An instance of a foreach task: its task and index.
public struct InstanceOf: Sendable, Hashable {
    public var task: String
    public var index: Int
}
