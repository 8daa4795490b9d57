import Foundation
import Testing
@testable import GnomonCore

/// `OverlapRule` and `DueQueue`: the overlap decision and the order the daemon wakes in.
struct SchedulingOverlapTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let policy: OverlapPolicy
        let running: [Int64]
        let pending: Int
        let expected: OverlapDecision

        init(_ name: String, _ policy: OverlapPolicy, running: [Int64], pending: Int = 0, _ expected: OverlapDecision) {
            self.name = name
            self.policy = policy
            self.running = running
            self.pending = pending
            self.expected = expected
        }

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case("skip starts when nothing runs", .skip, running: [], .start),
        Case("queue starts when nothing runs", .queue, running: [], .start),
        Case("replace starts when nothing runs", .replace, running: [], .start),
        Case("allow starts when nothing runs", .allow, running: [], .start),
        Case("skip skips while a run is going, naming it", .skip, running: [41], .skip(reason: "run 41 still running")),
        Case("skip names every run going", .skip, running: [41, 42], .skip(reason: "runs 41, 42 still running")),
        Case("skip skips while a catch-up run waits", .skip, running: [], pending: 1, .skip(reason: "1 run waiting")),
        Case("queue keeps one pending run", .queue, running: [41], .enqueue),
        Case("queue skips once one is pending", .queue, running: [41], pending: 1,
             .skip(reason: "run 41 still running; 1 run waiting; overlap queue keeps one pending run")),
        Case("allow runs side by side", .allow, running: [41, 42], pending: 3, .start),
        Case("replace cancels what runs", .replace, running: [41, 42], .replace(cancel: [41, 42])),
        Case("replace with only pending runs cancels none but replaces", .replace, running: [], pending: 2, .replace(cancel: [])),
    ]

    @Test(arguments: cases)
    func decide(_ c: Case) {
        #expect(OverlapRule.decide(policy: c.policy, running: c.running, pending: c.pending) == c.expected)
    }

    struct QueueCase: CustomTestStringConvertible, Sendable {
        let name: String
        /// `job@offset` entries pushed in this order (offsets in seconds).
        let pushes: [String]
        let now: Double
        let popped: [String]
        var testDescription: String { name }
    }

    static let queueCases: [QueueCase] = [
        QueueCase(name: "pops due entries earliest first", pushes: ["c@3", "a@1", "b@2", "d@9"], now: 5, popped: ["a", "b", "c"]),
        QueueCase(name: "ties pop by job name", pushes: ["zed@1", "abe@1", "mia@1"], now: 1, popped: ["abe", "mia", "zed"]),
        QueueCase(name: "nothing due pops nothing", pushes: ["a@10"], now: 9.999, popped: []),
        QueueCase(name: "a thousand entries due at once all pop", pushes: (0..<1000).map { "j\(1000 + $0)@60" }, now: 60,
                  popped: (0..<1000).map { "j\(1000 + $0)" }),
    ]

    @Test(arguments: queueCases)
    func dueQueue(_ c: QueueCase) {
        var queue = DueQueue()
        let zero = Date(timeIntervalSince1970: 1_767_225_600)
        for push in c.pushes {
            let parts = push.split(separator: "@")
            queue.push(.init(at: zero.addingTimeInterval(Double(parts[1])!), job: String(parts[0]), generation: 0))
        }
        #expect(queue.popDue(now: zero.addingTimeInterval(c.now)).map(\.job) == c.popped)
        #expect(queue.count == c.pushes.count - c.popped.count)
    }

    @Test
    func dueQueueOrdersRandomPushes() {
        var generator = SplitMix64(seed: 7)
        var queue = DueQueue()
        let zero = Date(timeIntervalSince1970: 0)
        var offsets: [Double] = []
        for index in 0..<500 {
            let offset = Double(generator.next() % 10_000)
            offsets.append(offset)
            queue.push(.init(at: zero.addingTimeInterval(offset), job: "j\(index)", generation: 0))
        }
        var popped: [Double] = []
        while let entry = queue.pop() { popped.append(entry.at.timeIntervalSince1970) }
        #expect(popped == offsets.sorted())
    }
}
