import GnomonCore
import GnomonExecution
import GnomonTesting
import Testing

/// After a crash, a container attempt is found again by name and its true exit code collected.
@Suite("Container adoption", .needsPodman)
struct ContainerAdoptTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// How the container is left behind, as podman arguments after `--name NAME --label ...`.
        let setUp: [String]
        /// Wait for it to exit before adopting.
        let waitFirst: Bool
        let expected: AttemptOutcome
        /// The least time the adoption must take (it waits for a running container).
        let atLeast: Double
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a detached container still running is waited for",
             setUp: ["run", "--detach", "--init", Podman.image, "sh", "-c", "sleep 2; exit 7"],
             waitFirst: false, expected: .exited(code: 7), atLeast: 1),
        Case(name: "a container that already exited gives its code",
             setUp: ["run", "--detach", Podman.image, "sh", "-c", "exit 4"],
             waitFirst: true, expected: .exited(code: 4), atLeast: 0),
        Case(name: "a container created but never started is interrupted",
             setUp: ["create", Podman.image, "true"],
             waitFirst: false, expected: .interrupted, atLeast: 0),
        Case(name: "an out-of-memory kill is still recognised",
             setUp: ["run", "--detach", "--memory", "16m", Podman.image, "dd", "if=/dev/zero", "of=/dev/null", "bs=100M", "count=1"],
             waitFirst: true, expected: .outOfMemory, atLeast: 0),
    ]

    @Test("adopt", arguments: cases)
    func adopt(_ testCase: Case) async throws {
        let executor = try await Podman.executor()
        let scratch = Scratch()
        defer { scratch.remove() }
        let tag = Tag.make("adopt")
        var arguments = testCase.setUp
        arguments.insert(contentsOf: ["--name", tag, "--label", "gnomon.test=\(tag)", "--network", "none"], at: 1)
        let made = try await Podman.run(arguments)
        try #require(made.status == .exited(code: 0), "podman \(arguments): \(made.errorText)")
        if testCase.waitFirst {
            try await Podman.run(["wait", tag])
        }
        let start = ContinuousClock.now

        let outcome = await executor.reattach(.container(tag), logPath: scratch.file("attempt.log"))

        #expect(outcome == testCase.expected)
        #expect((ContinuousClock.now - start).seconds >= testCase.atLeast)
        #expect(ProcessProbe.readText(scratch.file("attempt.log"))?.hasPrefix("gnomon: re-attached to container \(tag)") == true)
        #expect(try await Podman.containers(tagged: tag) == [])
    }

    @Test("no container of that name: nil")
    func missing() async throws {
        let executor = try await Podman.executor()
        let scratch = Scratch()
        defer { scratch.remove() }

        let outcome = await executor.reattach(.container(Tag.make("no-such")), logPath: scratch.file("attempt.log"))

        #expect(outcome == nil)
        #expect(!ProcessProbe.fileExists(scratch.file("attempt.log")))
    }

    @Test("cancelling an adoption stops and removes the container")
    func cancel() async throws {
        let executor = try await Podman.executor()
        let scratch = Scratch()
        defer { scratch.remove() }
        let tag = Tag.make("adopt-cancel")
        let made = try await Podman.run(["run", "--detach", "--init", "--name", tag, "--label", "gnomon.test=\(tag)",
                                         "--network", "none", Podman.image, "sleep", "100"])
        try #require(made.status == .exited(code: 0), "\(made.errorText)")

        let adoption = Task { await executor.reattach(.container(tag), logPath: scratch.file("attempt.log")) }
        // The re-attachment's first line says it found the container; cancelled from then on, it
        // must stop it (a cancel that comes before its wait begins is handled on entry).
        #expect(await ProcessProbe.waitForLine(in: scratch.file("attempt.log")) != nil)
        adoption.cancel()

        #expect(await adoption.value == .cancelled)
        #expect(try await Podman.containers(tagged: tag) == [])
    }
}
