import Foundation

/// Jobs ordered by when they are next due: a binary min-heap, so the daemon sleeps once until the
/// earliest instead of keeping a timer per job.
///
/// Entries are never removed from the middle: when a job's next time changes, push a new entry
/// with a higher `generation` and let the stale one be dropped when it surfaces (the caller
/// compares generations).
public struct DueQueue: Sendable {
    public struct Entry: Sendable, Hashable {
        /// When to wake: the fire time plus any jitter delay.
        public var at: Date
        public var job: String
        public var generation: Int

        public init(at: Date, job: String, generation: Int) {
            self.at = at
            self.job = job
            self.generation = generation
        }
    }

    private var heap: [Entry] = []

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    /// The earliest entry.
    public var first: Entry? { heap.first }

    public mutating func push(_ entry: Entry) {
        heap.append(entry)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.before(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry.
    public mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var smallest = parent
            if left < heap.count, Self.before(heap[left], heap[smallest]) { smallest = left }
            if right < heap.count, Self.before(heap[right], heap[smallest]) { smallest = right }
            if smallest == parent { break }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    /// Removes and returns the entries due at or before `now`, earliest first, at most `limit`.
    public mutating func popDue(now: Date, limit: Int = .max) -> [Entry] {
        var due: [Entry] = []
        while due.count < limit, let top = heap.first, top.at <= now, let entry = pop() { due.append(entry) }
        return due
    }

    /// Earlier time first; ties by job name, so the order is repeatable.
    private static func before(_ a: Entry, _ b: Entry) -> Bool {
        a.at != b.at ? a.at < b.at : a.job < b.job
    }
}
