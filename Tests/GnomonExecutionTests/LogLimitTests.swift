import Foundation
import Glibc
import Synchronization
import GnomonCore
import GnomonExecution
import GnomonTesting
import Testing

/// `log_limit`: a log keeps its first and last parts with a line saying how much was dropped.
@Suite("Bounded logs")
struct LogLimitTests {
    static let limit: Int64 = 1 << 20

    /// A launch whose output is `HEAD`, `count` bytes of x, then `TAIL`.
    static func writer(bytes count: Int64, in scratch: Scratch, action: LogLimit.Action) -> AttemptLaunch {
        var launch = shell(
            "echo HEAD; head -c \(count) /dev/zero | tr '\\0' x; echo; echo TAIL", in: scratch)
        launch.logLimit = LogLimit(bytes: limit, action: action)
        return launch
    }

    @Test("a task writing 1 GiB under a 1 MiB log_limit ends with a bounded log: head, dropped line, tail")
    func gigabyteTruncated() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let launch = Self.writer(bytes: 1 << 30, in: scratch, action: .truncate)
        // The disk the log takes while it grows, sampled: the middle is freed as it goes.
        let peak = Mutex<Int64>(0)
        let sampling = Task.detached {
            while !Task.isCancelled {
                var info = stat()
                if stat(launch.logPath, &info) == 0 {
                    peak.withLock { $0 = max($0, Int64(info.st_blocks) * 512) }
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        sampling.cancel()
        #expect(outcome == .exited(code: 0))

        let text = try #require(ProcessProbe.readText(launch.logPath))
        let size = Int64(text.utf8.count)
        #expect(size <= Self.limit + 200, "the log is \(size) bytes")
        #expect(text.hasPrefix("HEAD\nxxxx"), "starts \(text.prefix(20))")
        #expect(text.hasSuffix("xxxx\nTAIL\n"), "ends \(text.suffix(20))")
        let dropped = (1 << 30) + 11 - Self.limit   // HEAD\n, \n, TAIL\n around the x's
        let lines = text.split(separator: "\n").filter { !$0.hasPrefix("xxx") }
        #expect(lines == ["HEAD", "gnomon: log_limit 1MiB reached: \(dropped) bytes dropped here", "TAIL"])
        // 1 GiB was written; far less was ever held (the bound leaves 255 MiB of writes between
        // two looks for a loaded machine, against 10 ms at about 1 GB/s on an idle one).
        #expect(peak.withLock { $0 } < 256 << 20, "peak disk use \(peak.withLock { $0 }) bytes")
        #expect(!FileManager.default.fileExists(atPath: launch.logPath + ".compacting"))
    }

    @Test("log_limit_action: fail stops the attempt with SIGXFSZ and says so in its bounded log")
    func failStops() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        var launch = shell("echo HEAD; exec yes", in: scratch)
        launch.logLimit = LogLimit(bytes: Self.limit, action: .fail)
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == .signalled(signal: SIGXFSZ))
        let text = try #require(ProcessProbe.readText(launch.logPath))
        #expect(text.hasPrefix("HEAD\ny\ny\n"), "starts \(text.prefix(20))")
        let notes = text.split(separator: "\n").filter { $0.hasPrefix("gnomon:") }.map { $0.replacing(/[0-9]+ bytes/, with: "N bytes") }
        #expect(notes == ["gnomon: log_limit 1MiB reached: N bytes dropped here",
                          "gnomon: stopped: the log passed its log_limit of 1MiB (log_limit_action: fail)"])
        #expect(text.hasSuffix("\ngnomon: stopped: the log passed its log_limit of 1MiB (log_limit_action: fail)\n"))
        #expect(Int64(text.utf8.count) <= Self.limit + 300)
    }

    @Test("a log under its limit is left exactly as written")
    func underLimit() async throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let launch = Self.writer(bytes: 1000, in: scratch, action: .truncate)
        let outcome = await LocalProcessExecutor().run(launch) { _ in }
        #expect(outcome == .exited(code: 0))
        #expect(ProcessProbe.readText(launch.logPath) == "HEAD\n" + String(repeating: "x", count: 1000) + "\nTAIL\n")
    }

    @Test("a reader skips a freed middle with the dropped line, so a growing log reads as head, line, tail")
    func readerSkipsHole() throws {
        let scratch = Scratch()
        defer { scratch.remove() }
        let path = scratch.file("sparse.log")
        let head = String(repeating: "h", count: 4096), tail = "the end\n"
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.write(Data(head.utf8))
        try handle.seek(toOffset: 4096 * 3)   // a hole of two blocks, as LogWatch leaves it
        handle.write(Data(tail.utf8))
        try handle.close()

        let reader = try #require(AttemptLogReader(path: path))
        var chunks: [AttemptLogReader.Chunk] = []
        while let chunk = reader.next() { chunks.append(chunk) }
        #expect(chunks.map(\.summary) == [
            "4096 bytes", "gnomon: log_limit reached: 8192 bytes dropped here\n", "8 bytes",
        ])
        #expect(chunks.last == .bytes(Array(tail.utf8)))
    }
}

extension AttemptLogReader.Chunk {
    /// A short description for test messages: the number of bytes, or the line.
    var summary: String {
        switch self {
        case .bytes(let bytes): return "\(bytes.count) bytes"
        case .dropped(let line): return line
        }
    }
}
