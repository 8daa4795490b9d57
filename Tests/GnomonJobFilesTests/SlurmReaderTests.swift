import GnomonCore
import GnomonJobFiles
import Testing

/// `slurm:` on tasks and in `defaults`: what the reader makes of it, and every refusal with its
/// pinned message, line and column.
@Suite("slurm: in job files")
struct SlurmReaderTests {
    struct Valid: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let task: String
        /// nil: the task stays off Slurm.
        let expected: TaskAction?
        var testDescription: String { name }
    }

    static let valid: [Valid] = [
        Valid(name: "run with slurm on the task", yaml: """
            tasks:
              train: { run: ./train.sh, slurm: { cpus: 8, memory: 32g, gpus: 1, qos: high, constraint: avx512, time: 2h } }
            """, task: "train",
            expected: .slurm(SlurmSpec(program: .shell("./train.sh"), options: SlurmOptions(
                cpus: 8, memory: "32g", gpus: 1, qos: "high", constraint: "avx512", time: .seconds(7200))))),
        Valid(name: "command with the defaults' slurm only", yaml: """
            defaults: { slurm: { partition: batch, account: proj42 } }
            tasks:
              train: { command: [./train.sh, --epochs, "10"] }
            """, task: "train",
            expected: .slurm(SlurmSpec(program: .command(["./train.sh", "--epochs", "10"]), options: SlurmOptions(
                partition: "batch", account: "proj42")))),
        Valid(name: "a task's options replace the defaults' one by one; extra is the defaults' then the task's", yaml: """
            defaults: { slurm: { partition: batch, cpus: 2, extra: ["--exclusive"] } }
            tasks:
              train: { run: x, slurm: { cpus: 4, gres: "gpu:a100:1", extra: ["--nice=10"] } }
            """, task: "train",
            expected: .slurm(SlurmSpec(program: .shell("x"), options: SlurmOptions(
                cpus: 4, gres: "gpu:a100:1", partition: "batch", extra: ["--exclusive", "--nice=10"])))),
        Valid(name: "defaults' slurm leaves a container task local", yaml: """
            defaults: { slurm: { partition: batch } }
            tasks:
              pack: { container: { image: localhost/tool:1 } }
            """, task: "pack", expected: nil),
    ]

    @Test("what a valid slurm: makes of a task", arguments: valid)
    func validCases(_ c: Valid) throws {
        let result = JobFileLoader.load(text: c.yaml, path: "jobs/etl.yaml")
        #expect(result.diagnostics.map(\.description) == [])
        let spec = try #require(result.spec)
        let action = try #require(spec.task(named: c.task)?.action)
        if let expected = c.expected {
            #expect(action == expected)
        } else if case .slurm = action {
            Issue.record("the task runs on Slurm: \(action)")
        }
    }

    struct Refused: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let expected: [String]
        var testDescription: String { name }
    }

    static let refused: [Refused] = [
        Refused(name: "an option Gnomon sets, long form with a value", yaml: """
            tasks:
              a:
                run: x
                slurm: { extra: ["--output=/tmp/x.log"] }
            """, expected: ["jobs/etl.yaml:4:22: tasks.a.slurm.extra[0]: --output cannot be given in extra (got \"--output=/tmp/x.log\"): Gnomon sets it for every attempt (the attempt's log)"]),
        Refused(name: "an option Gnomon sets, short form glued to its value", yaml: """
            tasks:
              a: { run: x, slurm: { extra: ["--exclusive", "-Jname"] } }
            """, expected: ["jobs/etl.yaml:2:48: tasks.a.slurm.extra[1]: --job-name cannot be given in extra (got \"-Jname\"): Gnomon sets it for every attempt"]),
        Refused(name: "an option with its own key", yaml: """
            tasks:
              a: { run: x, slurm: { extra: ["--mem=4g"] } }
            """, expected: ["jobs/etl.yaml:2:33: tasks.a.slurm.extra[0]: --mem cannot be given in extra (got \"--mem=4g\"): use slurm.memory"]),
        Refused(name: "requeue: Gnomon retries itself", yaml: """
            defaults:
              slurm: { extra: [--requeue] }
            tasks:
              a: { run: x }
            """, expected: ["jobs/etl.yaml:2:20: defaults.slurm.extra[0]: --requeue cannot be given in extra (got \"--requeue\"): Gnomon retries lost attempts itself; use retry"]),
        Refused(name: "every refused option of one list is reported", yaml: """
            tasks:
              a: { run: x, slurm: { extra: [--wrap=true, --comment=mine, --array=1-3] } }
            """, expected: [
                "jobs/etl.yaml:2:33: tasks.a.slurm.extra[0]: --wrap cannot be given in extra (got \"--wrap=true\"): use run or command",
                "jobs/etl.yaml:2:46: tasks.a.slurm.extra[1]: --comment cannot be given in extra (got \"--comment=mine\"): Gnomon sets it for every attempt (it carries the attempt's token)",
                "jobs/etl.yaml:2:62: tasks.a.slurm.extra[2]: --array cannot be given in extra (got \"--array=1-3\"): Gnomon submits one job per attempt",
            ]),
        Refused(name: "extra that is not a list", yaml: """
            tasks:
              a: { run: x, slurm: { extra: --exclusive } }
            """, expected: ["jobs/etl.yaml:2:32: tasks.a.slurm.extra: must be a list of sbatch options, like [\"--exclusive\"] (got \"--exclusive\"); write it as a list: [--exclusive]"]),
        Refused(name: "gpus and gres together", yaml: """
            tasks:
              a: { run: x, slurm: { gpus: 1, gres: "gpu:a100:1" } }
            """, expected: ["jobs/etl.yaml:2:34: tasks.a.slurm.gres: give gpus or gres, not both; gres: \"gpu:TYPE:N\" names the GPU type"]),
        Refused(name: "no CPUs", yaml: """
            tasks:
              a: { run: x, slurm: { cpus: 0 } }
            """, expected: ["jobs/etl.yaml:2:31: tasks.a.slurm.cpus: must be 1 or more (got 0)"]),
        Refused(name: "an unknown slurm key", yaml: """
            tasks:
              a: { run: x, slurm: { partiton: batch } }
            """, expected: ["jobs/etl.yaml:2:25: tasks.a.slurm.partiton: unknown key \"partiton\"; did you mean \"partition\"?"]),
        Refused(name: "slurm that is not a mapping", yaml: """
            tasks:
              a: { run: x, slurm: batch }
            """, expected: ["jobs/etl.yaml:2:23: tasks.a.slurm: must be a mapping of Slurm options, like { partition: batch, cpus: 4 } (got \"batch\")"]),
        Refused(name: "a container task cannot run on Slurm", yaml: """
            tasks:
              a:
                container: { image: localhost/tool:1 }
                slurm: { cpus: 2 }
            """, expected: ["jobs/etl.yaml:4:5: tasks.a.slurm: a container task cannot run on Slurm; remove slurm or use run or command (tasks.a.container)"]),
    ]

    @Test("every refusal, with file:line and what to write instead", arguments: refused)
    func refusedCases(_ c: Refused) {
        let result = JobFileLoader.load(text: c.yaml, path: "jobs/etl.yaml")
        #expect(result.spec == nil)
        #expect(result.diagnostics.map(\.description) == c.expected)
    }
}
