import GnomonCore
import GnomonJobFiles
import Testing

/// Core names a dependency by its kind; the loader's messages name the key that lists it.
@Suite("Dependency problems name their key")
struct DependencyMessageTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "unknown task under depends_on", yaml: "tasks:\n  load: { run: x }\n  b: { run: y, depends_on: [lod] }\n",
             expected: ["jobs/etl.yaml:3:29: tasks.b.depends_on[0]: no task is named \"lod\"; did you mean \"load\"?"]),
        Case(name: "unknown task under after", yaml: "tasks:\n  load: { run: x }\n  b: { run: y, after: [lod] }\n",
             expected: ["jobs/etl.yaml:3:24: tasks.b.after[0]: no task is named \"lod\"; did you mean \"load\"?"]),
        Case(name: "unknown task with nothing close", yaml: "tasks:\n  a: { run: x }\n  b: { run: y, after: [zzzzzz] }\n",
             expected: ["jobs/etl.yaml:3:24: tasks.b.after[0]: no task is named \"zzzzzz\"; define it under tasks or remove it"]),
        Case(name: "itself under depends_on", yaml: "tasks:\n  a: { run: x, depends_on: [a] }\n",
             expected: ["jobs/etl.yaml:2:29: tasks.a.depends_on[0]: a task cannot wait for itself; remove \"a\" from depends_on"]),
        Case(name: "itself under after", yaml: "tasks:\n  a: { run: x, after: [a] }\n",
             expected: ["jobs/etl.yaml:2:24: tasks.a.after[0]: a task cannot wait for itself; remove \"a\" from after"]),
        Case(name: "listed under both", yaml: "tasks:\n  a: { run: x }\n  b: { run: y, depends_on: [a], after: [a] }\n",
             expected: ["jobs/etl.yaml:3:41: tasks.b.after[0]: \"a\" is already listed (line 3); keep one"]),
        Case(name: "a cycle closed by after", yaml: "tasks:\n  a: { run: x, after: [b] }\n  b: { run: y, depends_on: [a] }\n",
             expected: ["jobs/etl.yaml:2:24: tasks.a.after[0]: dependency cycle a -> b -> a; remove one of these dependencies"]),
    ]

    @Test("each kind of problem, under each key", arguments: cases)
    func messages(_ c: Case) {
        #expect(Fixtures.problems(c.yaml) == c.expected)
    }

    @Test("the keys of the two kinds", arguments: [(DependencyKind.required, "depends_on"), (.completionOnly, "after")])
    func keys(_ kind: DependencyKind, _ key: String) {
        #expect(kind.key == key)
        #expect(DependencyKind(key: key) == kind)
    }

    @Test("a valid file carries its graph and parsed schedule")
    func carried() throws {
        let result = Fixtures.load("schedule: { cron: \"0 9 * * *\", timezone: Asia/Tokyo }\ntasks:\n  a: { run: x }\n  b: { run: y, after: [a] }\n")
        let job = try #require(result.job)
        #expect(job.graph.names == ["a", "b"])
        #expect(job.graph.upstream["b"]?.map { "\($0.from) \($0.kind)" } == ["a completionOnly"])
        #expect(job.schedule?.spec == ScheduleSpec(expression: "0 9 * * *", timeZone: "Asia/Tokyo"))
        #expect(job.schedule?.timeZone.identifier == "Asia/Tokyo")
    }
}
