import GnomonCore
import GnomonJobFiles
import Testing

/// `log_limit` and `log_limit_action` in job files, and `min_free_space` in the settings file.
@Suite("Log limits and free space in files")
struct LogLimitKeyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        /// Each task's limit, by name (nil: the standard one), when the file is valid.
        var limits: [String: LogLimit?] = [:]
        var problems: [String] = []
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no key: the standard limit", yaml: "tasks: { a: { run: x } }\n", limits: ["a": nil]),
        Case(name: "a task's own limit in MiB", yaml: "tasks: { a: { run: x, log_limit: 10MiB } }\n",
             limits: ["a": LogLimit(bytes: 10 << 20)]),
        Case(name: "defaults give both keys; a task's own replaces one", yaml: """
            defaults: { log_limit: 1GiB, log_limit_action: fail }
            tasks:
              a: { run: x }
              b: { run: x, log_limit: 500KB }
            """, limits: ["a": LogLimit(bytes: 1 << 30, action: .fail), "b": LogLimit(bytes: 500_000, action: .fail)]),
        Case(name: "an action alone keeps the standard size", yaml: "tasks: { a: { run: x, log_limit_action: fail } }\n",
             limits: ["a": LogLimit(bytes: 100 << 20, action: .fail)]),
        Case(name: "a number of bytes", yaml: "tasks: { a: { run: x, log_limit: 1048576 } }\n",
             limits: ["a": LogLimit(bytes: 1 << 20)]),
        Case(name: "below the minimum", yaml: "tasks: { a: { run: x, log_limit: 1KiB } }\n",
             problems: ["jobs/etl.yaml:1:34: tasks.a.log_limit: must be at least 64KiB (got \"1KiB\")"]),
        Case(name: "not a size", yaml: "tasks: { a: { run: x, log_limit: lots } }\n",
             problems: ["jobs/etl.yaml:1:34: tasks.a.log_limit: \"lots\" is not a size; write it like 100MiB, 512KiB, 1GiB or a number of bytes"]),
        Case(name: "an unknown action", yaml: "tasks: { a: { run: x, log_limit_action: truncat } }\n",
             problems: ["jobs/etl.yaml:1:41: tasks.a.log_limit_action: must be one of truncate, fail (got \"truncat\"); did you mean \"truncate\"?"]),
    ]

    @Test("log_limit and log_limit_action", arguments: cases)
    func limits(_ testCase: Case) throws {
        let result = Fixtures.load(testCase.yaml)
        #expect(result.diagnostics.map(\.description) == testCase.problems)
        guard testCase.problems.isEmpty else { return }
        let job = try #require(result.job)
        for (name, limit) in testCase.limits {
            #expect(job.spec.tasks.first { $0.name == name }?.logLimit == limit, "task \(name)")
        }
    }

    @Test("min_free_space: a size, a percentage, zero, or a problem", arguments: [
        ("min_free_space: 2GiB\n", FreeSpaceRule.bytes(2 << 30), [String]()),
        ("min_free_space: 10%\n", .percent(10), []),
        ("min_free_space: 0\n", FreeSpaceRule.none, []),
        ("retry_alerts_for: 1h\n", .standard, []),
        ("min_free_space: 120%\n", .standard,
         ["gnomon.yaml:1:17: min_free_space: must be a percentage from 0% to 100%, or a size like 1GiB (got \"120%\")"]),
    ])
    func freeSpace(_ yaml: String, _ rule: FreeSpaceRule, _ problems: [String]) {
        let result = SettingsFileLoader.load(text: yaml, path: "gnomon.yaml")
        #expect(result.diagnostics.map(\.description) == problems)
        #expect(result.settings.minFreeSpace == rule)
    }

    @Test("the standard free-space threshold is the smaller of 1 GiB and 5%")
    func standardThreshold() {
        #expect(FreeSpaceRule.standard.threshold(total: 2 << 20) == 104_857)
        #expect(FreeSpaceRule.standard.threshold(total: 1 << 40) == 1 << 30)
        #expect(ByteSize.parse("1 GiB") == .success(1 << 30))
        #expect(ByteSize.format(100 << 20) == "100MiB")
    }
}
