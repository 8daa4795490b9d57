import GnomonCore
import Testing

/// The first-in-first-out queue with early leaving that the worker pool's waiters and a run's
/// decided launches use.
@Suite("KeyedQueue")
struct KeyedQueueTests {
    enum Step { case append(Int), remove(Int), next }

    struct Case: CustomTestStringConvertible {
        let name: String
        let steps: [Step]
        /// What each `next` gave, in order (nil: the queue was empty).
        let taken: [Int?]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "keys come out in arrival order", steps: [.append(1), .append(2), .append(3), .next, .next, .next, .next],
             taken: [1, 2, 3, nil]),
        Case(name: "a key removed early is skipped", steps: [.append(1), .append(2), .append(3), .remove(2), .next, .next, .next],
             taken: [1, 3, nil]),
        Case(name: "a key appended again keeps its first place", steps: [.append(1), .append(2), .append(1), .next, .next, .next],
             taken: [1, 2, nil]),
        Case(name: "a key taken and appended again queues at the end", steps: [.append(1), .append(2), .next, .append(1), .next, .next],
             taken: [1, 2, 1]),
        Case(name: "an empty queue gives nothing, then works", steps: [.next, .append(7), .next], taken: [nil, 7]),
    ]

    @Test("next, append and remove", arguments: cases)
    func steps(_ item: Case) {
        var queue = KeyedQueue<Int, String>()
        var taken: [Int?] = []
        for step in item.steps {
            switch step {
            case .append(let key): queue.append(key, "v\(key)")
            case .remove(let key): _ = queue.remove(key)
            case .next:
                let next = queue.next()
                if let next { #expect(next.value == "v\(next.key)") }
                taken.append(next?.key)
            }
        }
        #expect(taken == item.taken)
    }

    @Test("order survives compaction: 5,000 keys, every third removed, taken while more arrive")
    func compaction() {
        var queue = KeyedQueue<Int, Int>()
        for key in 0..<5000 { queue.append(key, key) }
        for key in stride(from: 0, to: 5000, by: 3) { _ = queue.remove(key) }
        var taken: [Int] = []
        for key in 5000..<6000 {
            if let next = queue.next() { taken.append(next.key) }
            queue.append(key, key)
        }
        while let next = queue.next() { taken.append(next.key) }
        #expect(taken == (0..<5000).filter { $0 % 3 != 0 } + Array(5000..<6000))
        #expect(queue.isEmpty)
    }
}
