import GnomonCore

/// The launches a run's machine has decided that have no attempt task yet, first in first out;
/// a launch killed before it starts leaves the queue in O(1).
struct LaunchQueue {
    /// A decided launch: the attempt, and the gate of the changes that made it ready (taken when
    /// it was decided, so a launch started later does not wait for a commit of later changes).
    struct Launch {
        let attempt: Int
        let committed: RunRecorder.Gate
    }

    private var queue = KeyedQueue<String, Launch>()

    mutating func append(task: String, _ launch: Launch) {
        queue.append(task, launch)
    }

    /// Takes a task out of the queue; its launch, or `nil` if it was not queued.
    mutating func remove(_ task: String) -> Launch? {
        queue.remove(task)
    }

    /// The oldest launch still queued.
    mutating func next() -> (task: String, launch: Launch)? {
        queue.next().map { ($0.key, $0.value) }
    }
}
