import GnomonCore
import Testing

/// `TaskGraph.summary`: what `gnomon graph` prints for a graph too big to draw.
@Suite("Graph summary")
struct GraphSummaryTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Each task and the tasks it depends on (`after` edges written `~name`).
        let tasks: [(String, [String])]
        let edges: Int
        let roots: Int
        let leaves: Int
        let layers: [Int]
        let widest: Int
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "one task", tasks: [("a", [])], edges: 0, roots: 1, leaves: 1, layers: [1], widest: 1),
        Case(name: "a chain of three", tasks: [("a", []), ("b", ["a"]), ("c", ["b"])],
             edges: 2, roots: 1, leaves: 1, layers: [1, 1, 1], widest: 1),
        Case(name: "a diamond", tasks: [("a", []), ("b", ["a"]), ("c", ["a"]), ("d", ["b", "c"])],
             edges: 4, roots: 1, leaves: 1, layers: [1, 2, 1], widest: 2),
        Case(name: "a task's layer is one below its deepest upstream, after edges included",
             tasks: [("a", []), ("b", ["a"]), ("c", ["b"]), ("x", []), ("d", ["x", "~c"])],
             edges: 4, roots: 2, leaves: 1, layers: [2, 1, 1, 1], widest: 1),
        Case(name: "wide", tasks: (0..<5).map { ("t\($0)", []) }, edges: 0, roots: 5, leaves: 5, layers: [5], widest: 1),
    ]

    @Test(arguments: cases)
    func counts(_ c: Case) throws {
        let specs = c.tasks.map { name, upstream in
            TaskSpec(name: name, action: .shell("true"),
                     dependsOn: upstream.filter { !$0.hasPrefix("~") }, after: upstream.filter { $0.hasPrefix("~") }.map { String($0.dropFirst()) })
        }
        let summary = try TaskGraph.build(specs).get().summary
        #expect(summary.tasks == c.tasks.count)
        #expect(summary.edges == c.edges)
        #expect(summary.roots == c.roots)
        #expect(summary.leaves == c.leaves)
        #expect(summary.layerSizes == c.layers)
        #expect(summary.widestLayer.layer == c.widest)
    }

    @Test("the text joins runs of equal layers and names the widest")
    func text() {
        let summary = TaskGraph.Summary(tasks: 2201, edges: 4000, roots: 1, leaves: 200, layerSizes: [1, 1000, 1000, 200])
        #expect(summary.text(job: "etl", tasks: 200) == """
            job etl: 2201 tasks, 4000 dependencies, 4 layers (more than 200 tasks: a summary, not a drawing)
            roots: 1 (no upstream); leaves: 200 (nothing waits on them)
            widest layer: layer 2, 1000 tasks
            tasks per layer (a task's layer is 1 + the deepest layer it waits on):
              layer 1: 1 task
              layers 2-3: 1000 tasks each
              layer 4: 200 tasks

            """)
    }
}
