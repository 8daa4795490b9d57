/// The launches a run's machine has decided that have no attempt task yet, first in first out;
/// a launch killed before it starts leaves the queue in O(1).
struct LaunchQueue {
    private var order: [String] = []
    private var head = 0
    /// The queued tasks and the attempt each launches; a task in `order` but not here was removed.
    private var attempts: [String: Int] = [:]

    mutating func append(task: String, attempt: Int) {
        attempts[task] = attempt
        order.append(task)
    }

    /// Takes a task out of the queue; its attempt number, or `nil` if it was not queued.
    mutating func remove(_ task: String) -> Int? {
        attempts.removeValue(forKey: task)
    }

    /// The oldest launch still queued.
    mutating func next() -> (task: String, attempt: Int)? {
        while head < order.count {
            let task = order[head]
            head += 1
            if let attempt = attempts.removeValue(forKey: task) {
                compact()
                return (task, attempt)
            }
        }
        compact()
        return nil
    }

    /// Drops the names already taken once they are most of `order` (amortised O(1) a launch).
    private mutating func compact() {
        if head == order.count {
            order.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1024, head * 2 > order.count {
            order.removeFirst(head)
            head = 0
        }
    }
}
