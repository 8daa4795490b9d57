import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonTesting
import Testing

/// Container tasks and outputs, through podman: the output file is mounted and `GNOMON_OUTPUT`
/// names the mount; a downstream container gets its references resolved in its fields and the
/// inputs file mounted read-only.
@Suite("Task outputs in containers")
struct ContainerOutputTests {
    @Test("a container writes outputs; a downstream container gets them in its command, env and inputs file", .needsPodman)
    func containers() async throws {
        try await Podman.require()
        let home = try TemporaryHome()
        // A job name of its own: container names stay unique across tests and homes.
        let name = "outputs-\(UUID().uuidString.prefix(8).lowercased())"
        var produce = ContainerSpec(image: Podman.image, command: ["sh", "-c", """
            echo "where=$GNOMON_OUTPUT" >> "$GNOMON_OUTPUT"
            printf 'words<<END\\nwith spaces\\nand "quotes"\\nEND\\n' >> "$GNOMON_OUTPUT"
            """], pull: .never)
        produce.user = "1234:1234"  // another uid than Gnomon's still writes the file
        let consume = ContainerSpec(
            image: Podman.image,
            command: ["sh", "-c", "echo \"$1|$WORDS\"; cat \"$GNOMON_INPUTS\"; echo; echo \"inputs=$GNOMON_INPUTS\"",
                      "sh", "${{ tasks.produce.outputs.where }}"],
            env: ["WORDS": "${{ tasks.produce.outputs.words }}"], pull: .never)
        let job = JobBuilder(name, directory: home.jobs)
            .adding(TaskSpec(name: "produce", action: .container(produce)))
            .adding(TaskSpec(name: "consume", action: .container(consume), dependsOn: ["produce"]))
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .succeeded, "\(finished.detail.tasks)")
        #expect(finished.detail.attempts(of: "produce").first?.outputs
            == ["where": AttemptFiles.containerOutputPath, "words": "with spaces\nand \"quotes\""])
        let log = try #require(finished.detail.attempts(of: "consume").first?.logPath)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("\(AttemptFiles.containerOutputPath)|with spaces\nand \"quotes\"\n"), "\(text)")
        #expect(text.contains(#"{"produce":{"where":"/gnomon/output","words":"with spaces\nand \"quotes\""}}"#), "\(text)")
        #expect(text.contains("inputs=\(AttemptFiles.containerInputsPath)"), "\(text)")
    }
}
