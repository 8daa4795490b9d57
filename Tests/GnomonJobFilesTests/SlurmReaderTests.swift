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
        let expected: TaskAction
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
            """, task: "pack", expected: .container(ContainerSpec(image: "localhost/tool:1"))),
    ]

    @Test("what a valid slurm: makes of a task", arguments: valid)
    func validCases(_ c: Valid) throws {
        let result = JobFileLoader.load(text: c.yaml, path: "jobs/etl.yaml")
        #expect(result.diagnostics.map(\.description) == [])
        let spec = try #require(result.spec)
        #expect(spec.task(named: c.task)?.action == c.expected)
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
            """, expected: ["PIN"]),
        Refused(name: "an option Gnomon sets, short form glued to its value", yaml: """
            tasks:
              a: { run: x, slurm: { extra: ["--exclusive", "-Jname"] } }
            """, expected: ["PIN"]),
        Refused(name: "an option with its own key", yaml: """
            tasks:
              a: { run: x, slurm: { extra: ["--mem=4g"] } }
            """, expected: ["PIN"]),
        Refused(name: "requeue: Gnomon retries itself", yaml: """
            defaults:
              slurm: { extra: [--requeue] }
            tasks:
              a: { run: x }
            """, expected: ["PIN"]),
        Refused(name: "every refused option of one list is reported", yaml: """
            tasks:
              a: { run: x, slurm: { extra: [--wrap=true, --comment=mine, --array=1-3] } }
            """, expected: ["PIN"]),
        Refused(name: "extra that is not a list", yaml: """
            tasks:
              a: { run: x, slurm: { extra: --exclusive } }
            """, expected: ["PIN"]),
        Refused(name: "gpus and gres together", yaml: """
            tasks:
              a: { run: x, slurm: { gpus: 1, gres: "gpu:a100:1" } }
            """, expected: ["PIN"]),
        Refused(name: "no CPUs", yaml: """
            tasks:
              a: { run: x, slurm: { cpus: 0 } }
            """, expected: ["PIN"]),
        Refused(name: "an unknown slurm key", yaml: """
            tasks:
              a: { run: x, slurm: { partiton: batch } }
            """, expected: ["PIN"]),
        Refused(name: "slurm that is not a mapping", yaml: """
            tasks:
              a: { run: x, slurm: batch }
            """, expected: ["PIN"]),
        Refused(name: "a container task cannot run on Slurm", yaml: """
            tasks:
              a:
                container: { image: localhost/tool:1 }
                slurm: { cpus: 2 }
            """, expected: ["PIN"]),
    ]

    @Test("every refusal, with file:line and what to write instead", arguments: refused)
    func refusedCases(_ c: Refused) {
        let result = JobFileLoader.load(text: c.yaml, path: "jobs/etl.yaml")
        #expect(result.spec == nil)
        #expect(result.diagnostics.map(\.description) == c.expected)
    }
}
