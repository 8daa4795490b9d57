/// The launches a run's machine has decided that have no attempt task yet, first in first out;
/// a launch killed before it starts leaves the queue in O(1).
struct LaunchQueue {
    /// A decided launch: the attempt, and the gate of the changes that made it ready (taken when
    /// it was decided, so a launch started later does not wait for a commit of later changes).
    struct Launch {
        let attempt: Int
        let committed: RunRecorder.Gate
    }

    private var order: [String] = []
    private var head = 0
    /// The queued tasks and their launches; a task in `order` but not here was removed.
    private var launches: [String: Launch] = [:]

    mutating func append(task: String, _ launch: Launch) {
        launches[task] = launch
        order.append(task)
    }

    /// Takes a task out of the queue; its launch, or `nil` if it was not queued.
    mutating func remove(_ task: String) -> Launch? {
        launches.removeValue(forKey: task)
    }

    /// The oldest launch still queued.
    mutating func next() -> (task: String, launch: Launch)? {
        while head < order.count {
            let task = order[head]
            head += 1
            if let launch = launches.removeValue(forKey: task) {
                compact()
                return (task, launch)
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
