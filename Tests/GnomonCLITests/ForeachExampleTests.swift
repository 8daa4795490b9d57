import Foundation
import GnomonTesting
import Testing

/// The example job jobs/word-count.yaml (outputs and foreach), copied into a temporary jobs
/// folder: it validates, runs with the built binary, and `gnomon show`, `logs` and `graph` show
/// its fan-out.
@Suite("The word-count example")
struct ForeachExampleTests {
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test("validates, runs one instance per text, and totals the gathered counts in item order")
    func runs() async throws {
        let home = try TemporaryHome()
        let files = FileManager.default
        try files.copyItem(atPath: Self.repositoryRoot + "/jobs/word-count.yaml", toPath: home.jobs + "/word-count.yaml")
        try files.copyItem(atPath: Self.repositoryRoot + "/jobs/word-count", toPath: home.jobs + "/word-count")
        try? files.removeItem(atPath: home.jobs + "/word-count/out")
        let cli = CLI(home: home)
        let validate = try await cli.run(["validate"])
        #expect(validate.status == 0, "\(validate)")

        let run = try await cli.run(["run", "word-count"])
        #expect(run.status == 0, "\(run)")
        let total = try String(contentsOfFile: home.jobs + "/word-count/out/total.txt", encoding: .utf8)
        #expect(total == """
            files: ["texts/fox.txt","texts/gnomon.txt","texts/third one.txt"]
            counts: ["9","15","10"]
            total: 34

            """)

        let show = try await cli.run(["show", "1"])
        let lines = show.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains("count succeeded 0 foreach 3 items: 3 succeeded"), "\(show.stdout)")
        #expect(lines.contains("count[2] succeeded 1 item texts/third one.txt"), "\(show.stdout)")
        let json = try #require(try await cli.run(["show", "1", "--json"]).json() as? [String: Any])
        let tasks = try #require(json["tasks"] as? [[String: Any]])
        let instances = tasks.filter { $0["instance_of"] as? String == "count" }
        #expect(instances.map { $0["item"] as? String } == ["texts/fox.txt", "texts/gnomon.txt", "texts/third one.txt"])
        #expect(instances.map { $0["index"] as? Int } == [0, 1, 2])

        let logs = try await cli.run(["logs", "1", "count[1]"])
        #expect(logs.status == 0 && logs.stdout == "texts/gnomon.txt: 15 words (instance 1)\n", "\(logs)")
        let graph = try await cli.run(["graph", "word-count"])
        #expect(graph.stdout.contains("count [foreach tasks.plan.outputs.files, 2 at once]  <- plan"), "\(graph.stdout)")
    }

    @Test("show lists a large fan-out compactly: the instances that did not succeed, and how to see all")
    func compactShow() async throws {
        let home = try TemporaryHome()
        _ = try home.writeJob("wide", """
            tasks:
              chunk:
                foreach: [\((0..<40).map(String.init).joined(separator: ", "))]
                command: [sh, -c, 'case "$1" in 3|17) exit 2 ;; esac', sh, "${{ item }}"]
            """)
        let cli = CLI(home: home)
        #expect(try await cli.run(["run", "wide"]).status != 0)
        let show = try await cli.run(["show", "1"])
        let lines = show.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
        #expect(lines.contains { $0.hasPrefix("chunk failed 0 foreach 40 items: 38 succeeded, 2 failed; 2 of 40 instances did not succeed (chunk[3], chunk[17])") },
                "\(show.stdout)")
        #expect(lines.contains { $0.hasPrefix("chunk[3] failed 1 item 3") })
        #expect(!lines.contains { $0.hasPrefix("chunk[4] ") }, "a succeeded instance of a large fan-out is not listed")
        #expect(lines.contains("… 38 more instances: gnomon show 1 --instances"), "\(show.stdout)")
        let all = try await cli.run(["show", "1", "--instances"])
        #expect(all.stdout.contains("chunk[39]"))
    }
}
