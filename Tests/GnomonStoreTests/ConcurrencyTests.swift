import Foundation
import GnomonCore
import GnomonExecution
import GnomonTesting
import Testing
@testable import GnomonStore

/// What the reader threads saw, shared between them and the test.
private final class Observations: @unchecked Sendable {
    private let lock = NSLock()
    private var _done = false
    private var _errors: [String] = []
    private var _counts: [Int: [Int]] = [:]

    var done: Bool {
        get { lock.withLock { _done } }
        set { lock.withLock { _done = newValue } }
    }
    var errors: [String] { lock.withLock { _errors } }
    func counts(of reader: Int) -> [Int] { lock.withLock { _counts[reader] ?? [] } }
    func fail(_ message: String) { lock.withLock { _errors.append(message) } }
    func saw(_ count: Int, reader: Int) { lock.withLock { _counts[reader, default: []].append(count) } }
}

@Suite("Concurrent access", .serialized)
struct ConcurrencyTests {
    static let writes = 3_000
    static let processTicks = 500

    @Test("readers on other threads and in other processes never fail while writers commit thousands of transactions")
    func readersDuringWrites() async throws {
        let home = try TemporaryHome()
        let writer = try GnomonStore.open(home: home.home)
        let run = try writer.createRun(newRun(job("busy", tasks: ["work"])))
        let database = home.database, stop = home.root + "/stop"

        // Another process writing: one transaction per tick, waiting out our locks with a busy timeout.
        let tickSQL = (0..<Self.processTicks).map { index in
            "INSERT INTO ticks (job, fire_time, decided_at, decision) VALUES ('other', "
                + "strftime('%Y-%m-%dT%H:%M:%fZ', '2024-05-01', '+\(index) seconds'), '2024-05-01T00:00:00.000Z', 'missed');"
        }.joined(separator: "\n")
        try tickSQL.write(toFile: home.root + "/ticks.sql", atomically: true, encoding: .utf8)
        // Other processes reading, each read a new connection as `gnomon runs` would open: the
        // attempt rows and the task's attempt count must agree in every snapshot.
        let readSQL = "SELECT (SELECT count(*) FROM attempts) = (SELECT attempts FROM run_tasks), "
            + "(SELECT count(*) FROM attempts);"
        var processes: [(name: String, process: TestProcess)] = []
        for reader in 0..<2 {
            let script = """
                while [ ! -e '\(stop)' ]; do
                  sqlite3 -bail -cmd '.timeout 10000' '\(database)' "\(readSQL)" || exit 1
                done
                """
            processes.append(("reader\(reader)", try SQLiteShell.start(
                script, stdout: home.root + "/reader\(reader).out", stderr: home.root + "/reader\(reader).err")))
        }

        // Reader threads, each with its own store on the same file.
        let observations = Observations()
        defer {
            // Stop every reader even when the test fails early.
            observations.done = true
            FileManager.default.createFile(atPath: stop, contents: nil)
            for (_, process) in processes where process.isRunning { process.send(SIGTERM, group: true) }
        }
        let group = DispatchGroup()
        for reader in 0..<2 {
            let store = try GnomonStore.open(home: home.home)
            group.enter()
            Thread {
                defer { group.leave() }
                repeat {
                    do {
                        guard let detail = try store.run(run) else { return observations.fail("run \(run) missing") }
                        let count = detail.tasks.first?.attempts ?? -1
                        if count != detail.attempts.count {
                            observations.fail("task says \(count) attempts, \(detail.attempts.count) rows")
                        }
                        observations.saw(count, reader: reader)
                        _ = try store.runs(RunQuery(job: "busy", statuses: [.queued], limit: 5))
                    } catch {
                        return observations.fail("reader thread \(reader): \(error)")
                    }
                } while !observations.done
            }.start()
        }

        // Start writing once every reader has read at least once.
        func readersReady() -> Bool {
            (0..<2).allSatisfy { !observations.counts(of: $0).isEmpty }
                && (0..<2).allSatisfy { reader in
                    ((try? FileManager.default.attributesOfItem(atPath: home.root + "/reader\(reader).out"))?[.size]
                        as? NSNumber)?.intValue ?? 0 > 0
                }
        }
        #expect(await eventually(within: .seconds(20), every: .milliseconds(10)) { readersReady() },
                "readers did not start within 20 s")

        processes.append(("tick writer", try SQLiteShell.start(
            "sqlite3 -bail -cmd '.timeout 10000' '\(database)' < '\(home.root)/ticks.sql'",
            stdout: home.root + "/ticks.out", stderr: home.root + "/ticks.err")))
        // A second writer thread in this process, with its own store.
        let pauser = try GnomonStore.open(home: home.home)
        group.enter()
        Thread {
            defer { group.leave() }
            for index in 0..<500 {
                do {
                    try pauser.setPaused(job: "job\(index % 10)", paused: index % 2 == 0, at: at("2024-05-01T12:00:00Z"))
                } catch {
                    return observations.fail("pause writer: \(error)")
                }
            }
        }.start()
        for number in 1...Self.writes {
            try writer.record([attemptStarted(run, "work", number, at: at("2024-05-01T12:00:00Z"))])
        }
        observations.done = true
        FileManager.default.createFile(atPath: stop, contents: nil)
        group.wait()
        for (name, process) in processes {
            let status = await process.status()
            let errors = (try? String(contentsOfFile: home.root + "/\(name == "tick writer" ? "ticks" : name).err",
                                      encoding: .utf8)) ?? ""
            #expect(status == .exited(code: 0), "\(name) ended with \(status): \(errors)")
            #expect(errors.isEmpty, "\(name): \(errors)")
        }

        #expect(observations.errors == [])
        var seen: [Int] = []
        for reader in 0..<2 {
            let lines = try String(contentsOfFile: home.root + "/reader\(reader).out", encoding: .utf8)
                .split(separator: "\n")
            #expect(lines.allSatisfy { $0.hasPrefix("1|") }, "process reader \(reader) saw an inconsistent snapshot")
            let counts = lines.compactMap { Int($0.dropFirst(2)) }
            #expect(counts == counts.sorted(), "process reader \(reader) went back in time")
            let threadCounts = observations.counts(of: reader)
            #expect(threadCounts == threadCounts.sorted(), "thread reader \(reader) went back in time")
            seen += counts + threadCounts
        }
        #expect(seen.contains { 0 < $0 && $0 < Self.writes }, "no reader ran while the writer was writing")
        #expect(try writer.run(run)?.attempts.count == Self.writes)
        #expect(try await SQLiteShell.run(database, "SELECT count(*) FROM ticks") == "\(Self.processTicks)")
        #expect(try writer.pausedOverrides().count == 10)
    }
}
