import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// `GET /api/v1/runs/{id}/tasks/{task}/attempts/{n}/log` on real attempt logs: a 50 MiB one
/// with bytes that are not UTF-8 at its end, and one still being written.
@Suite("the attempt log endpoint")
struct AttemptLogTests {
    /// 50 MiB of 37-byte lines, then a line with é (two bytes) and two bytes that are not UTF-8,
    /// then a last line.
    static let bigScript = """
        yes abcdefghijklmnopqrstuvwxyz012345678 | head -c 52428800
        printf 'caf\\303\\251 \\377\\376 end\\nlast line\\n'
        """

    /// The bytes of the last `count` lines of `data` (a final newline ends the last line).
    static func lastLines(_ data: Data, _ count: Int) -> Data {
        var found = 0
        var index = data.count - 2
        while index >= 0 {
            if data[index] == 0x0A {
                found += 1
                if found == count { return data[(index + 1)...] }
            }
            index -= 1
        }
        return data
    }

    @Test("windows, tails and the download of a 50 MiB log match the file; bad requests are 400/404")
    func bigLog() async throws {
        let d = try LiveDaemon()
        let script = try d.folders.write(Self.bigScript, to: "big.sh")
        try d.write(job: "big", "tasks:\n  write: { run: \"sh \(script)\" }\n")
        try await d.start()
        let run = try await d.trigger("big")
        #expect(await eventually(within: .seconds(60), every: .milliseconds(50)) { try d.run(run)?.summary.status == .succeeded })
        let attempt = try #require(try d.run(run)?.attempts.first)
        let file = try Data(contentsOf: URL(fileURLWithPath: attempt.logPath))
        #expect(file.count > 50 << 20)
        let size = file.count
        let base = "/api/v1/runs/\(run)/tasks/write/attempts/1/log"
        let cafe = try #require(file.range(of: Data("caf".utf8), options: .backwards)).lowerBound

        func window(_ query: String) async throws -> [String: Any] {
            let response = try await d.request("GET", base + query)
            try #require(response.status == 200, "\(query): \(response.status) \(response.text)")
            return try response.object()
        }
        // The first bytes.
        var answer = try await window("?offset=0&limit=100")
        #expect(answer["text"] as? String == String(decoding: file[0..<100], as: UTF8.self))
        #expect(answer["offset"] as? Int == 0 && answer["next_offset"] as? Int == 100)
        #expect(answer["size"] as? Int == size && answer["ended"] as? Bool == true)
        // The default limit is 64 KiB.
        answer = try await window("?offset=1000")
        #expect(answer["next_offset"] as? Int == 1000 + 65536)
        // A window that would cut é in two stops before it.
        answer = try await window("?offset=\(cafe)&limit=4")
        #expect(answer["text"] as? String == "caf" && answer["next_offset"] as? Int == cafe + 3)
        // Bytes that are not UTF-8 become U+FFFD.
        answer = try await window("?offset=\(cafe)&limit=64")
        #expect(answer["text"] as? String == "café \u{FFFD}\u{FFFD} end\nlast line\n")
        #expect(answer["next_offset"] as? Int == size)
        // At the end: nothing, and the same offset next.
        answer = try await window("?offset=\(size)")
        #expect(answer["text"] as? String == "" && answer["next_offset"] as? Int == size)
        // The last lines.
        answer = try await window("?tail=1")
        #expect(answer["text"] as? String == "last line\n" && answer["offset"] as? Int == size - 10)
        answer = try await window("?tail=3")
        let three = Self.lastLines(file, 3)
        #expect(answer["text"] as? String == String(decoding: three, as: UTF8.self))
        #expect(answer["offset"] as? Int == size - three.count)
        // More lines than 1 MiB holds: the answer starts at a line within the last MiB.
        answer = try await window("?tail=100000")
        let start = try #require(answer["offset"] as? Int)
        #expect(size - start <= 1 << 20 && size - start > (1 << 20) - 40)
        #expect(file[start - 1] == 0x0A, "starts at the beginning of a line")
        // The whole file.
        let download = try await d.request("GET", base + "?download=1")
        #expect(download.status == 200)
        #expect(download.headers["content-type"] == "application/octet-stream")
        #expect(download.headers["content-disposition"] == "attachment; filename=\"run-\(run)-write-attempt-1.log\"")
        #expect(download.body == file)

        let bad: [(String, Int, String)] = [
            ("/api/v1/runs/999999/tasks/write/attempts/1/log", 404, "run 999999 not found"),
            ("/api/v1/runs/\(run)/tasks/nope/attempts/1/log", 404, "run \(run) has no task \"nope\""),
            ("/api/v1/runs/\(run)/tasks/write/attempts/7/log", 404, "task write of run \(run) has no attempt 7"),
            ("/api/v1/runs/\(run)/tasks/write/attempts/first/log", 404, "attempt \"first\" is not an attempt number"),
            (base + "?offset=-1", 400, "offset=-1 must be a whole number of bytes"),
            (base + "?offset=\(size + 1)", 400, "offset=\(size + 1) is past the end"),
            (base + "?limit=0", 400, "limit=0 must be a whole number from 1 to 1048576"),
            (base + "?limit=2000000", 400, "limit=2000000 must be a whole number from 1 to 1048576"),
            (base + "?tail=0", 400, "tail=0 must be a whole number from 1 to 100000"),
            (base + "?tail=2&offset=0", 400, "leave out offset and limit"),
            (base + "?download=1&offset=5", 400, "download=1 answers the whole file"),
            (base + "?lines=3", 400, "unknown query parameter lines"),
        ]
        for (path, status, message) in bad {
            let response = try await d.request("GET", path)
            #expect(response.status == status, "\(path): \(response.text)")
            #expect(response.errorMessage.contains(message), "\(path): \(response.errorMessage)")
        }
        #expect(await d.stop() == 0)
    }

    @Test("a running attempt's log: ended is false until it ends, and next_offset follows it")
    func runningLog() async throws {
        let d = try LiveDaemon()
        let flag = d.folders.path("go-on")
        try d.write(job: "slow", "tasks:\n  s: { run: \"echo first; while [ ! -f \(flag) ]; do sleep 0.02; done; echo second\" }\n")
        try await d.start()
        let run = try await d.trigger("slow")
        let base = "/api/v1/runs/\(run)/tasks/s/attempts/1/log"
        var first: [String: Any] = [:]
        #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) { () async throws -> Bool in
            guard let response = try? await d.request("GET", base), response.status == 200 else { return false }
            first = (try? response.object()) ?? [:]
            return (first["text"] as? String)?.hasSuffix("first\n") == true
        })
        #expect(first["ended"] as? Bool == false)
        FileManager.default.createFile(atPath: flag, contents: nil)
        #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) { try d.run(run)?.summary.status == .succeeded })
        let next = try await d.request("GET", base + "?offset=\(first["next_offset"] as! Int)").object()
        #expect(next["text"] as? String == "second\n" && next["ended"] as? Bool == true)
        #expect(await d.stop() == 0)
    }
}
