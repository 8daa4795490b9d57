import Foundation
import GnomonServer
import GnomonStore

/// `GET /api/v1/runs/{id}/tasks/{task}/attempts/{n}/log`: part of an attempt's log, its last
/// lines, or the whole file as a download.
extension APIContext {
    /// Bytes answered when `limit` is not given.
    static let defaultLogLimit = 64 << 10
    /// The most bytes one answer holds (`limit`, and the bytes `tail` looks back).
    static let maxLogLimit = 1 << 20
    /// The most lines `tail` takes.
    static let maxTailLines = 100_000

    func attemptLog(_ request: ServerRequest) throws(APIError) -> ServerResponse {
        try request.onlyQuery(["offset", "limit", "tail", "download"])
        let id = try request.idParameter("id", what: "run")
        let task = request.parameter("task")
        let numberText = request.parameter("n")
        guard let number = Int(numberText), number > 0 else {
            throw .notFound("attempt \"\(numberText)\" is not an attempt number (1 for the first attempt); "
                + "GET /api/v1/runs/\(id) lists the attempts of each task")
        }
        let detail = try run(id)
        let attempt: AttemptRecord
        do {
            attempt = try RunLogs.select(detail, task: task, attempt: number)[0]
        } catch {
            throw APIError(error)
        }
        let ended = attempt.outcome != nil
        let what = "the log of run \(id) task \(task) attempt \(number)"
        guard let file = LogFile(path: attempt.logPath) else {
            if !ended { return try json(LogWindow(offset: 0, nextOffset: 0, size: 0, ended: false, text: ""), what: what) }
            throw .notFound("\(what) is missing: its file \(attempt.logPath) was removed")
        }
        let size = file.size
        if let download = request.query("download") {
            guard download == "1" || download == "true" else { throw .badRequest("download=\(download) must be 1") }
            guard request.query("offset") == nil, request.query("limit") == nil, request.query("tail") == nil else {
                throw .badRequest("download=1 answers the whole file; leave out offset, limit and tail")
            }
            let name = "run-\(id)-\(Self.safeFileName(task))-attempt-\(number).log"
            return ServerResponse(status: 200, headers: [
                ("Content-Type", "application/octet-stream"),
                ("Content-Disposition", "attachment; filename=\"\(name)\""),
            ], body: .stream(file.chunks(upTo: size)))
        }
        let start: Int64, end: Int64
        if let tailText = request.query("tail") {
            guard request.query("offset") == nil, request.query("limit") == nil else {
                throw .badRequest("tail=N answers the last N lines; leave out offset and limit (or use those without tail)")
            }
            guard let lines = Int(tailText), (1...Self.maxTailLines).contains(lines) else {
                throw .badRequest("query parameter tail=\(tailText) must be a whole number from 1 to \(Self.maxTailLines)")
            }
            start = file.tailStart(lines: lines, size: size, maxBytes: Self.maxLogLimit)
            end = size
        } else {
            let offsetText = request.query("offset") ?? "0"
            guard let offset = Int64(offsetText), offset >= 0 else {
                throw .badRequest("query parameter offset=\(offsetText) must be a whole number of bytes from 0")
            }
            guard offset <= size else {
                throw .badRequest("offset=\(offset) is past the end of \(what) (\(size) bytes now); ask for an offset from 0 to \(size)")
            }
            let limit = try request.intQuery("limit", in: 1...Self.maxLogLimit, default: Self.defaultLogLimit)
            start = offset
            end = min(size, offset + Int64(limit))
        }
        var bytes = file.read(at: start, count: Int(end - start))
        // A character cut by the window's end is left for the next window.
        bytes = bytes.prefix(LogFile.wholeCharacters(bytes))
        let window = LogWindow(
            offset: start, nextOffset: start + Int64(bytes.count), size: size, ended: ended,
            text: String(decoding: bytes, as: UTF8.self))
        return try json(window, what: what)
    }

    /// A task name fit for a file name in a Content-Disposition header.
    private static func safeFileName(_ name: String) -> String {
        String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber) || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
    }
}
