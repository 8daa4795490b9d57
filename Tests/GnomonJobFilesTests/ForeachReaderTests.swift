import GnomonCore
import GnomonJobFiles
import Testing

/// `foreach`, `concurrency` and `foreach_limit` on a task: read into the task's spec, and every
/// problem reported at its line and column with its key path and the remedy.
@Suite("Fan-out keys in job files")
struct ForeachReaderTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let expected: [String]
        var testDescription: String { name }
    }

    static let problems: [Case] = [
        Case(name: "item outside a foreach task", yaml: """
            tasks:
              a: { command: [echo, "${{ item }}"] }
            """, expected: [
                "jobs/etl.yaml:2:25: tasks.a.command[1]: ${{ item }} is the item of a foreach task, and this task has no foreach",
            ]),
        Case(name: "a list item that is not a scalar", yaml: """
            tasks:
              a:
                foreach: [x, [y], { z: 1 }]
                command: [echo, "${{ item }}"]
            """, expected: [
                "jobs/etl.yaml:3:18: tasks.a.foreach[1]: must be a string, number or boolean (a foreach list holds scalars) (got a list)",
                "jobs/etl.yaml:3:23: tasks.a.foreach[2]: must be a string, number or boolean (a foreach list holds scalars) (got a mapping)",
            ]),
        Case(name: "a literal list longer than foreach_limit", yaml: """
            tasks:
              a: { foreach: [1, 2, 3], foreach_limit: 2, run: "echo $GNOMON_ITEM" }
            """, expected: [
                "jobs/etl.yaml:2:17: tasks.a.foreach: lists 3 items, more than the limit of 2; set foreach_limit (at most 100000) or split the list",
            ]),
        Case(name: "foreach naming a task not under depends_on", yaml: """
            tasks:
              plan: { run: x }
              a: { foreach: "${{ tasks.plan.outputs.items }}", run: "echo $GNOMON_ITEM" }
            """, expected: [
                "jobs/etl.yaml:3:18: tasks.a.foreach: \"plan\" is not upstream of a; add it to a's depends_on, so that it succeeds before a starts",
            ]),
        Case(name: "foreach naming an unknown task", yaml: """
            tasks:
              plan: { run: x }
              a: { foreach: "${{ tasks.plam.outputs.items }}", run: "echo $GNOMON_ITEM", depends_on: [plan] }
            """, expected: [
                "jobs/etl.yaml:3:18: tasks.a.foreach: no task is named \"plam\"; did you mean \"plan\"?",
            ]),
        Case(name: "foreach with text around its reference", yaml: """
            tasks:
              plan: { run: x }
              a: { foreach: "x ${{ tasks.plan.outputs.items }}", run: "true", depends_on: [plan] }
            """, expected: [
                "jobs/etl.yaml:3:17: tasks.a.foreach: must be a list or exactly one reference to an upstream output holding a JSON array, like  foreach: ${{ tasks.plan.outputs.items }}  (got \"x ${{ tasks.plan.outputs.items }}\")",
            ]),
        Case(name: "foreach as a plain word", yaml: """
            tasks:
              a: { foreach: files, run: "true" }
            """, expected: [
                "jobs/etl.yaml:2:17: tasks.a.foreach: must be a list of items, or one reference like ${{ tasks.plan.outputs.items }} to an upstream output holding a JSON array (got \"files\")",
            ]),
        Case(name: "concurrency and foreach_limit without foreach, and out of range", yaml: """
            tasks:
              a: { run: "true", concurrency: 2, foreach_limit: 5 }
              b: { foreach: [1], run: "true", concurrency: 0, foreach_limit: 100001 }
            """, expected: [
                "jobs/etl.yaml:2:21: tasks.a.concurrency: a task's concurrency limits its foreach instances, and this task has no foreach; remove it (the job's own concurrency limits all its tasks)",
                "jobs/etl.yaml:2:37: tasks.a.foreach_limit: foreach_limit bounds a foreach list, and this task has no foreach; remove it",
                "jobs/etl.yaml:3:48: tasks.b.concurrency: must be 1 or more (got 0); remove the key for no limit of the task's own",
                "jobs/etl.yaml:3:66: tasks.b.foreach_limit: must be at most 100000 (got 100001)",
            ]),
        Case(name: "a misspelt key has a suggestion", yaml: """
            tasks:
              a: { foreech: [1], run: "true" }
            """, expected: [
                "jobs/etl.yaml:2:8: tasks.a.foreech: unknown key \"foreech\"; did you mean \"foreach\"?",
            ]),
    ]

    @Test("each problem with file:line:column, key path and remedy", arguments: problems)
    func reported(_ c: Case) {
        #expect(Fixtures.problems(c.yaml).sorted() == c.expected.sorted())
    }

    @Test("a literal list, a reference and the limits reach the task's spec; item is allowed in a foreach task")
    func read() throws {
        let result = Fixtures.load("""
            tasks:
              plan: { run: x }
              fixed:
                foreach: [a b, 3, true, "it's"]
                concurrency: 2
                command: [echo, "${{ item }}"]
              chunk:
                foreach: ${{ tasks.plan.outputs.items }}
                foreach_limit: 20000
                env: { ITEM: "${{ item }}" }
                run: echo "$ITEM"
                depends_on: [plan]
            """)
        #expect(result.diagnostics.map(\.description) == [])
        let tasks = try #require(result.job?.spec.tasks)
        let fixed = try #require(tasks.first { $0.name == "fixed" })
        #expect(fixed.foreach == .items(["a b", "3", "true", "it's"]))
        #expect(fixed.concurrency == 2 && fixed.effectiveForeachLimit == ForeachSource.defaultLimit)
        let chunk = try #require(tasks.first { $0.name == "chunk" })
        #expect(chunk.foreach == .output(task: "plan", key: "items"))
        #expect(chunk.foreachLimit == 20000 && chunk.concurrency == nil)
    }
}
