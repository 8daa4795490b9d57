import Foundation
import GnomonTesting
import Testing

@Suite("gnomon retry")
struct RetryCommandTests {
    @Test("gnomon retry continues a failed run: succeeded tasks stay, attempts are numbered on")
    func continuesFailedRun() async throws {
        let home = try TemporaryHome()
        let marks = home.path("marks")
        let fixed = home.path("fixed")
        try home.writeJob("etl", """
            tasks:
              extract:
                run: echo $GNOMON_TASK.$GNOMON_ATTEMPT >> '\(marks)'
              load:
                run: echo $GNOMON_TASK.$GNOMON_ATTEMPT >> '\(marks)'; test -f '\(fixed)'
                depends_on: [extract]
              report:
                run: echo $GNOMON_TASK.$GNOMON_ATTEMPT >> '\(marks)'
                depends_on: [load]
            """)
        let cli = CLI(home: home)
        let first = try await cli.run(["run", "etl"])
        #expect(first.status == 1, "\(first)")

        try home.write("", to: "fixed")
        let retry = try await cli.run(["retry", "1"])
        #expect(retry.status == 0, "\(retry)")
        #expect(retry.stdout.contains("run 1 succeeded"), "\(retry)")

        #expect(home.read("marks") == "extract.1\nload.1\nload.2\nreport.1\n")
        let run = try #require(try await cli.run(["show", "1", "--json"]).json() as? [String: Any])
        #expect(run["status"] as? String == "succeeded")
        let attempts = try #require(run["attempts"] as? [[String: Any]])
        let summary = attempts.map { "\($0["task"] as? String ?? "?").\($0["number"] as? Int ?? 0)=\($0["exit_code"] as? Int ?? -1)" }
        #expect(summary == ["extract.1=0", "load.1=1", "load.2=0", "report.1=0"])
        let runs = try #require(try await cli.run(["runs", "--json"]).json() as? [Any])
        #expect(runs.count == 1, "a retry continues the run, it does not make a new one")
    }
}
