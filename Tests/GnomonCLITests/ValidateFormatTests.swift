import Foundation
import GnomonTesting
import Testing

/// `gnomon validate` prints `path:line:column: key.path: message`, one problem per line.
@Suite("validate output")
struct ValidateFormatTests {
    @Test("every problem of every file is one located line, then a summary")
    func lineFormat() async throws {
        let home = try TemporaryHome()
        try home.writeJob("etl", """
            schedule: "61 * * * *"
            tasks:
              load:
                run: echo hi
                retry:
                  limit: -1
                depends_on: [nope]
            """)
        try home.writeJob("ok", "tasks:\n  hello:\n    run: echo hello\n")
        let result = try await CLI(home: home).run(["validate", "jobs"], global: false)

        #expect(result.status == 1)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.last == "1 of 2 job files invalid")
        let problems = lines.dropLast()
        #expect(problems.count == 3, "\(result)")
        let pattern = #/^jobs/etl\.yaml:(\d+):(\d+): ([a-z_]+(\.[a-z_]+|\[\d+\])*): (.+)$/#
        for line in problems {
            #expect(line.wholeMatch(of: pattern) != nil, "not path:line:column: key.path: message: \(line)")
        }
        #expect(problems.contains("jobs/etl.yaml:6:14: tasks.load.retry.limit: must be 0 or more (got -1)"), "\(result)")
        #expect(problems.contains("jobs/etl.yaml:7:18: tasks.load.depends_on[0]: no task is named \"nope\"; define it under tasks or remove it"), "\(result)")
        #expect(problems.contains { $0.hasPrefix("jobs/etl.yaml:1:11: schedule: ") && $0.contains("61") }, "\(result)")
    }

    @Test("a valid folder prints only its summary")
    func valid() async throws {
        let home = try TemporaryHome()
        try home.writeJob("a", "tasks:\n  hello:\n    run: echo hello\n")
        try home.writeJob("b", "tasks:\n  hello:\n    command: [echo, hi]\n")
        let result = try await CLI(home: home).run(["validate"])
        #expect(result.status == 0)
        #expect(result.stdout == "2 job files valid\n")
    }
}
