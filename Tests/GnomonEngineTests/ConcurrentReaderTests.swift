import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore
import GnomonTesting
import Synchronization
import Testing

/// Readers on other connections never see "database is locked" while a run writes (WAL).
@Suite("Readers during a run")
struct ConcurrentReaderTests {
    @Test("threads with their own connections read runs and details throughout a busy run")
    func readersOnThreads() async throws {
        let home = try TemporaryHome()
        var builder = JobBuilder("busy", directory: home.jobs).concurrency(4)
        for index in 1...40 {
            // Each task fails once and is retried: more writes per task.
            builder = builder.task("t\(index)", run: "[ $GNOMON_ATTEMPT -ge 2 ]", retry: .quick(limit: 1, delay: duration("5ms")))
        }
        let engine = try home.engine(workers: 4)
        let prepared = try engine.prepareNewRun(job: try builder.validated(), trigger: .manual, scheduledAt: Date())

        let stop = Atomic<Bool>(false)
        let reads = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let finishedReaders = Atomic<Int>(0)
        let readerCount = 4
        for index in 0..<readerCount {
            let thread = Thread {
                defer { finishedReaders.add(1, ordering: .sequentiallyConsistent) }
                do {
                    let store = try home.openStore()
                    while !stop.load(ordering: .sequentiallyConsistent) {
                        if index % 2 == 0 {
                            _ = try store.runs(RunQuery(job: "busy"))
                        } else {
                            _ = try store.run(prepared.id)
                        }
                        reads.add(1, ordering: .sequentiallyConsistent)
                        // A short pause keeps four readers from starving the two cores; reads
                        // still overlap every write the run makes.
                        usleep(2_000)
                    }
                } catch {
                    failures.withLock { $0.append("reader \(index): \(error)") }
                }
            }
            thread.start()
        }
        let finished = try await execute(prepared, engine: engine)
        stop.store(true, ordering: .sequentiallyConsistent)
        #expect(await eventually { finishedReaders.load(ordering: .sequentiallyConsistent) == readerCount })

        #expect(finished.status == .succeeded)
        #expect(finished.detail.attempts.count == 80)
        #expect(failures.withLock { $0 } == [])
        #expect(reads.load(ordering: .sequentiallyConsistent) > 40, "readers made \(reads.load(ordering: .sequentiallyConsistent)) reads")
    }
}
