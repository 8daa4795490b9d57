import GnomonCore
import GnomonJobFiles
import Testing

/// References to outputs, `${{ tasks.NAME.outputs.KEY }}`, are checked at load: each problem at
/// its own line and column, with its key path and the remedy.
@Suite("Output references in job files")
struct OutputReferenceTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "references in command, env and container fields of a task under depends_on", yaml: """
            tasks:
              extract: { run: x }
              load:
                command: [load, "--day=${{ tasks.extract.outputs.day }}"]
                env: { DAY: "${{ tasks.extract.outputs.day }}" }
                depends_on: [extract]
              box:
                container:
                  image: "localhost/x:${{ tasks.extract.outputs.tag }}"
                  command: ["${{ tasks.extract.outputs.day }}"]
                  env: { A: "${{tasks.extract.outputs.a}}" }
                  workdir: "/w/${{ tasks.extract.outputs.dir }}"
                  user: "${{ tasks.extract.outputs.uid }}"
                depends_on: [extract]
            """, expected: []),
        Case(name: "an unknown task, with a suggestion", yaml: """
            tasks:
              extract: { run: x }
              load: { command: [load, "--day=${{ tasks.extrct.outputs.day }}"], depends_on: [extract] }
            """, expected: [
                "jobs/etl.yaml:3:34: tasks.load.command[1]: no task is named \"extrct\"; did you mean \"extract\"?",
            ]),
        Case(name: "a task that is not upstream", yaml: """
            tasks:
              extract: { run: x }
              load:
                command: [load]
                env:
                  DAY: ${{ tasks.extract.outputs.day }}
            """, expected: [
                "jobs/etl.yaml:6:12: tasks.load.env.DAY: \"extract\" is not upstream of load; add it to load's depends_on, so that it succeeds before load starts",
            ]),
        Case(name: "a task listed only under after", yaml: """
            tasks:
              extract: { run: x }
              load: { command: [load, "${{ tasks.extract.outputs.day }}"], after: [extract] }
            """, expected: [
                "jobs/etl.yaml:3:28: tasks.load.command[1]: \"extract\" is listed under after, so it may have failed without writing this output; move it to load's depends_on (or read $GNOMON_INPUTS, which holds the outputs of the upstream tasks that succeeded)",
            ]),
        Case(name: "a reference in a shell run line is refused with the remedy", yaml: """
            tasks:
              extract: { run: x }
              load: { run: "echo ${{ tasks.extract.outputs.day }}", depends_on: [extract] }
            """, expected: [
                "jobs/etl.yaml:3:22: tasks.load.run: ${{ tasks.extract.outputs.day }} cannot be used in a shell run line: substituting text into shell code invites injection; pass it through env instead, for example  env: { VALUE: \"${{ tasks.extract.outputs.day }}\" }  and write \"$VALUE\" in the line",
            ]),
        Case(name: "a malformed reference, at its column", yaml: """
            tasks:
              extract: { run: x }
              load: { command: [load, "a ${{ tasks.extract.day }}"], depends_on: [extract] }
            """, expected: [
                "jobs/etl.yaml:3:30: tasks.load.command[1]: ${{ tasks.extract.day }} is not a reference; write ${{ tasks.NAME.outputs.KEY }} or ${{ item }}",
            ]),
        Case(name: "a field that does not resolve references", yaml: """
            tasks:
              extract: { run: x }
              load: { command: [load], workdir: "${{ tasks.extract.outputs.dir }}", depends_on: [extract] }
            """, expected: [
                "jobs/etl.yaml:3:38: tasks.load.workdir: a task's workdir does not resolve references (${{ ... }}); they are resolved only in command arguments, env values and a container's image, command, env, workdir and user",
            ]),
        Case(name: "references in defaults are refused", yaml: """
            defaults:
              env: { DAY: "${{ tasks.extract.outputs.day }}" }
            tasks:
              extract: { run: x }
            """, expected: [
                "jobs/etl.yaml:2:15: defaults.env: defaults cannot hold references to outputs: a default reaches every task; put it in the env of each task that lists the upstream task under depends_on",
            ]),
        Case(name: "every problem at once, across tasks", yaml: """
            tasks:
              extract: { run: x }
              a: { command: [a, "${{ tasks.nope.outputs.k }}"] }
              b: { run: "${{ tasks.extract.outputs.k }}", depends_on: [extract] }
            """, expected: [
                "jobs/etl.yaml:3:22: tasks.a.command[1]: no task is named \"nope\"; name a task of this job listed under depends_on",
                "jobs/etl.yaml:4:14: tasks.b.run: ${{ tasks.extract.outputs.k }} cannot be used in a shell run line: substituting text into shell code invites injection; pass it through env instead, for example  env: { VALUE: \"${{ tasks.extract.outputs.k }}\" }  and write \"$VALUE\" in the line",
            ]),
    ]

    @Test("each problem with file:line:column, key path and remedy", arguments: cases)
    func problems(_ c: Case) {
        #expect(Fixtures.problems(c.yaml).sorted() == c.expected.sorted())
    }

    @Test("a spec made in code is checked the same way")
    func validJob() {
        let spec = JobSpec(name: "etl", tasks: [
            TaskSpec(name: "extract", action: .shell("x")),
            TaskSpec(name: "load", action: .command(["load", "${{ tasks.extract.outputs.day }}"]), after: ["extract"]),
        ], directory: "/jobs")
        #expect(throws: ValidJob.Problems.self) { try ValidJob(spec) }
        do {
            _ = try ValidJob(spec)
        } catch {
            #expect(error.references == [
                "tasks.load.command[1]: \"extract\" is listed under after, so it may have failed without writing this output; move it to load's depends_on (or read $GNOMON_INPUTS, which holds the outputs of the upstream tasks that succeeded)",
            ])
        }
    }
}
