import Glibc
import GnomonCore
import GnomonExecution
import GnomonTesting
import Testing

/// Output volume and parallelism: nothing is copied, nothing is serialised.
@Suite("Large output and many tasks", .serialized)
struct VolumeTests {
    struct OutputCase: Sendable, CustomTestStringConvertible {
        let name: String
        let line: String
        let size: Int
        var testDescription: String { name }
    }

    static let outputs: [OutputCase] = [
        OutputCase(name: "100 MB of zeros", line: "head -c 100000000 /dev/zero", size: 100_000_000),
        OutputCase(name: "100 MB of text on stdout and stderr",
                   line: "yes gnomon | head -c 50000000; yes error | head -c 50000000 >&2", size: 100_000_000),
        OutputCase(name: "20 MB of random bytes", line: "head -c 20000000 /dev/urandom", size: 20_000_000),
    ]

    @Test("the log holds every byte", arguments: outputs)
    func largeLog(_ testCase: OutputCase) async {
        let scratch = Scratch()
        let launch = shell(testCase.line, in: scratch)
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == .exited(code: 0))
        #expect(ProcessProbe.fileSize(launch.logPath) == testCase.size)
        scratch.remove()
    }

    @Test("binary bytes arrive unchanged")
    func binaryBytes() async {
        let scratch = Scratch()
        let pattern = (0..<4096).flatMap { _ in (0...255).map { UInt8($0) } }
        let source = scratch.file("all-bytes.bin")
        let descriptor = open(source, O_WRONLY | O_CREAT, 0o644)
        _ = pattern.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        let launch = shell("cat all-bytes.bin", in: scratch)
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == .exited(code: 0))
        #expect(ProcessProbe.readBytes(launch.logPath) == pattern)
        scratch.remove()
    }

    @Test("200 concurrent tasks run side by side")
    func concurrentTasks() async {
        let scratch = Scratch()
        let executor = LocalProcessExecutor()
        let clock = ContinuousClock()
        let start = clock.now
        let outcomes = await withTaskGroup(of: AttemptOutcome.self) { group in
            for index in 0..<200 {
                let launch = shell("sleep 0.2", in: scratch, log: "task-\(index).log")
                group.addTask { await executor.run(launch) { _ in } }
            }
            var all: [AttemptOutcome] = []
            for await outcome in group { all.append(outcome) }
            return all
        }
        let elapsed = clock.now - start
        #expect(outcomes.count == 200)
        #expect(outcomes.allSatisfy { $0 == .exited(code: 0) })
        #expect(elapsed < .milliseconds(1500), "200 × sleep 0.2 took \(elapsed): serialised?")
        scratch.remove()
    }
}
