import Foundation
import GnomonTesting
import Testing

/// `gnomon run` of a job whose tasks pass outputs, then `gnomon show`: the outputs in the text
/// and in `--json`, with the built binary and a real home.
@Suite("Outputs in gnomon show")
struct OutputShowTests {
    @Test("show lists each output on one line; --json has them whole")
    func shown() async throws {
        let home = try TemporaryHome()
        try home.writeJob("pass", """
            tasks:
              extract:
                run: |
                  echo day=2026-11-01 >> "$GNOMON_OUTPUT"
                  printf 'notes<<EOF\\nfirst line\\nsecond line\\nEOF\\n' >> "$GNOMON_OUTPUT"
              load:
                command: [echo, "loading ${{ tasks.extract.outputs.day }}"]
                depends_on: [extract]
            """)
        let cli = CLI(home: home)
        let run = try await cli.run(["run", "pass"])
        #expect(run.status == 0, "\(run)")
        let show = try await cli.run(["show", "1"])
        #expect(show.status == 0, "\(show)")
        let lines = show.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        #expect(lines.contains("TASK # OUTPUT VALUE"), "\(show.stdout)")
        #expect(lines.contains("extract 1 day 2026-11-01"), "\(show.stdout)")
        #expect(lines.contains("extract 1 notes first line\\nsecond line"), "\(show.stdout)")
        let json = try #require(try await cli.run(["show", "1", "--json"]).json() as? [String: Any])
        let attempts = try #require(json["attempts"] as? [[String: Any]])
        let extract = try #require(attempts.first { $0["task"] as? String == "extract" })
        #expect(extract["outputs"] as? [String: String] == ["day": "2026-11-01", "notes": "first line\nsecond line"])
        let load = try #require(attempts.first { $0["task"] as? String == "load" })
        #expect(load["outputs"] as? [String: String] == [:])
        let log = try #require(load["log_path"] as? String)
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "loading 2026-11-01\n")
    }

    @Test("a job with a reference in a run line is refused at load with the remedy")
    func refused() async throws {
        let home = try TemporaryHome()
        try home.writeJob("bad", """
            tasks:
              extract: { run: "echo day=1 >> $GNOMON_OUTPUT" }
              load: { run: "echo ${{ tasks.extract.outputs.day }}", depends_on: [extract] }
            """)
        let result = try await CLI(home: home).run(["run", "bad"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("bad.yaml:3:22: tasks.load.run: ${{ tasks.extract.outputs.day }} cannot be used in a shell run line"), "\(result)")
        #expect(result.stderr.contains("pass it through env instead"), "\(result)")
    }
}
