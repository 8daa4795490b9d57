import GnomonCore
import GnomonJobFiles
import Testing

/// A run may have `JobFileFormat.maximumTasksPerRun` tasks: a file of that many loads with its
/// graph, and one more is refused with the limit named.
@Suite("Job files at the task limit")
struct BigJobFileTests {
    /// `count` tasks in layers of 1,000, each past the first depending on two of the layer above
    /// (the shape of `gnomon-bench dag layered`).
    static func layered(_ count: Int) -> String {
        var text = "tasks:\n"
        text.reserveCapacity(count * 60)
        for index in 0..<count {
            text += "  t\(index): { command: [/bin/true]"
            let layer = index / 1000, position = index % 1000
            if layer > 0 {
                let above = (layer - 1) * 1000
                text += ", depends_on: [t\(above + position), t\(above + (position + 1) % 1000)]"
            }
            text += " }\n"
        }
        return text
    }

    @Test("a file of 100,000 tasks loads, with its graph of 100 layers")
    func atTheLimit() throws {
        #expect(JobFileFormat.maximumTasksPerRun == 100_000)
        let result = JobFileLoader.load(text: Self.layered(100_000), path: "jobs/big.yaml")
        guard case .loaded(let job) = result else {
            Issue.record("not loaded: \(result)")
            return
        }
        #expect(job.spec.tasks.count == 100_000)
        let summary = job.graph.summary
        #expect(summary.layerSizes == Array(repeating: 1000, count: 100))
        #expect(summary.edges == 99 * 1000 * 2)
    }

    @Test("a file of 100,001 tasks is refused, naming the limit")
    func pastTheLimit() {
        let result = JobFileLoader.load(text: Self.layered(100_001), path: "jobs/big.yaml")
        guard case .failed(let diagnostics) = result else {
            Issue.record("loaded a file past the limit")
            return
        }
        #expect(diagnostics.map(\.description) == [
            "jobs/big.yaml:2:3: tasks: a run may have at most 100000 tasks (got 100001); split the job into several jobs",
        ])
    }
}
