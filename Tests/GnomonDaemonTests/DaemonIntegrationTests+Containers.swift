import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// A daemon SIGKILLed while a container task runs: the next daemon re-attaches to the container
/// by name and records the attempt's true outcome, instead of losing it and running it again.
extension DaemonIntegrationTests {
    struct AdoptionCase: Sendable, CustomTestStringConvertible {
        let name: String
        /// The container's `sh -c` line.
        let script: String
        /// The daemon stays down until the container has exited (else it starts again at once).
        let exitsWhileDown: Bool
        let outcome: AttemptOutcome
        let status: RunStatus
        /// Text the container wrote to the attempt's log.
        let output: String
        var testDescription: String { name }
    }

    static let adoptionCases: [AdoptionCase] = [
        AdoptionCase(
            name: "a container still running is waited for and its exit code 7 kept",
            script: "sleep 3; echo adopted; exit 7", exitsWhileDown: false,
            outcome: .exited(code: 7), status: .failed, output: "adopted"),
        AdoptionCase(
            name: "a container that exited while the daemon was down gives its exit code 0",
            script: "sleep 1; echo finished; exit 0", exitsWhileDown: true,
            outcome: .exited(code: 0), status: .succeeded, output: "finished"),
    ]

    @Test(.needsPodman, arguments: adoptionCases)
    func aKilledDaemonsContainerIsAdoptedWithItsTrueOutcome(_ testCase: AdoptionCase) async throws {
        try await Podman.require()
        let h = try DaemonHarness()
        // A job name of its own: container names and labels stay unique across tests and homes.
        let job = "boxed-\(UUID().uuidString.prefix(8).lowercased())"
        try h.write(job: job, """
            tasks:
              box:
                container:
                  image: \(Podman.image)
                  command: [sh, -c, "\(testCase.script)"]
                  pull: never
                retry: 0
              downstream:
                run: "echo downstream ran"
                after: [box]
            """)
        try await h.startDaemon()
        let trigger = try await h.cli(["trigger", job])
        let id = try #require(Int64(trigger.out.trimmingCharacters(in: .whitespacesAndNewlines)), "\(trigger)")
        let ours = ["label=gnomon.job=\(job)", "label=gnomon.run=\(id)"]
        defer { Task { _ = try? await Podman.run(["rm", "--force", "--filter", "label=gnomon.job=\(job)"]) } }

        #expect(await h.waitUntil(timeout: 20) { try h.store().run(id)?.attempts.first?.containerName != nil }, "\(h.log)")
        let name = try #require(try h.store().run(id)?.attempts.first?.containerName)
        await h.stopDaemon(signal: SIGKILL)
        let running = try await Self.runningContainers(named: name) { !$0.isEmpty }
        #expect(running == [name], "the container outlives the SIGKILLed daemon")
        if testCase.exitsWhileDown {
            #expect(try await Self.runningContainers(named: name) { $0.isEmpty } == [], "the container did not exit")
        }

        try await h.startDaemon()
        #expect(await h.waitUntil(timeout: 30) { try h.store().run(id)?.summary.status.isFinished == true }, "\(h.log)")
        await h.stopDaemon()
        let run = try #require(try h.store().run(id))
        #expect(run.summary.status == testCase.status)
        let box = run.attempts.filter { $0.task == "box" }
        #expect(box.map(\.number) == [1], "the adopted attempt was run again")
        #expect(box.first?.outcome == testCase.outcome, "\(h.log)")
        #expect(box.first.map(h.output)?.contains(testCase.output) == true)
        #expect(box.first.map(h.output)?.contains("re-attached to container \(name)") == true)
        let downstream = run.attempts.filter { $0.task == "downstream" }
        #expect(downstream.map(\.outcome) == [.exited(code: 0)], "the after-task did not run")
        #expect(try await Podman.containers(filters: ours) == [], "the adopted container was not removed")
    }

    /// The running containers named `name`, polled every 100 ms for up to 30 s until `done`
    /// holds for them.
    static func runningContainers(named name: String, until done: ([String]) -> Bool) async throws -> [String] {
        var running = try await Podman.containers(filters: ["name=\(name)"], all: false)
        let end = ContinuousClock.now + .seconds(30)
        while !done(running), ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(100))
            running = try await Podman.containers(filters: ["name=\(name)"], all: false)
        }
        return running
    }
}
