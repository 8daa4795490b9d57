import GnomonCore
import GnomonJobFiles
import Testing

/// `keep: { runs: N, days: D }` in a job file and in the settings file: what it reads to, and
/// each problem with its pinned message.
@Suite("keep: in job files and the settings file")
struct KeepReaderTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// The value written after `keep:`.
        let keep: String
        /// What it reads to, when valid.
        let expected: KeepSpec?
        /// The problems, without the file name (`line:column: key path: message`), when not.
        var problems: [String] = []
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "both keys", keep: "{ runs: 500, days: 30 }", expected: KeepSpec(runs: 500, days: 30)),
        Case(name: "runs only: days comes from elsewhere", keep: "{ runs: 10 }", expected: KeepSpec(runs: 10)),
        Case(name: "days only: runs comes from elsewhere", keep: "{ days: 7 }", expected: KeepSpec(days: 7)),
        Case(name: "an empty mapping says nothing", keep: "{}", expected: KeepSpec()),
        Case(name: "zero runs is refused", keep: "{ runs: 0 }", expected: nil, problems: [
            "1:15: keep.runs: must be 1 or more (got 0); it counts the newest runs of the job that are kept",
        ]),
        Case(name: "days past a hundred years is refused", keep: "{ days: 40000 }", expected: nil, problems: [
            "1:15: keep.days: must be at most 36500 (got 40000); a run that ended longer ago than this is removed",
        ]),
        Case(name: "a duration is not a number of days", keep: "{ days: 30d }", expected: nil, problems: [
            "1:15: keep.days: must be an integer (got \"30d\")",
        ]),
        Case(name: "an unknown key is named with the known ones", keep: "{ run: 5 }", expected: nil, problems: [
            "1:9: keep.run: unknown key \"run\"; did you mean \"runs\"?",
        ]),
        Case(name: "a number alone is not a keep", keep: "100", expected: nil, problems: [
            "1:7: keep: must be a mapping like { runs: 1000, days: 90 } (got \"100\")",
        ]),
    ]

    @Test("in a job file", arguments: cases)
    func inJobFile(_ c: Case) {
        let result = JobFileLoader.load(text: "keep: \(c.keep)\ntasks: { a: { run: x } }\n", path: "jobs/etl.yaml")
        #expect(result.diagnostics.map(\.description) == c.problems.map { "jobs/etl.yaml:" + $0 })
        if let expected = c.expected { #expect(result.spec?.keep == expected) }
    }

    @Test("in the settings file", arguments: cases)
    func inSettingsFile(_ c: Case) {
        let result = SettingsFileLoader.load(text: "keep: \(c.keep)\n", path: "gnomon.yaml")
        #expect(result.diagnostics.map(\.description) == c.problems.map { "gnomon.yaml:" + $0 })
        #expect(result.settings.keep == c.expected)
    }

    @Test("a job file without keep: leaves it to the settings file")
    func absent() {
        #expect(JobFileLoader.load(text: "tasks: { a: { run: x } }\n", path: "jobs/etl.yaml").spec?.keep == nil)
        #expect(SettingsFileLoader.load(text: "late_after: 5m\n", path: "gnomon.yaml").settings.keep == nil)
    }
}
