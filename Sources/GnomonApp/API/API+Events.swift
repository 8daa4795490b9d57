import Foundation
import GnomonServer

/// `GET /api/v1/events`: Server-Sent Events of the runs, tasks and attempts a client follows.
extension APIContext {
    /// `run=ID` and `job=NAME` (each may repeat; neither: everything), `logs=1`, and the position
    /// to resume after: the `Last-Event-ID` header (browsers send it when they reconnect) or
    /// `last_event_id=N`; without either the stream starts at the newest event.
    func streamEvents(_ request: ServerRequest) throws(APIError) -> ServerResponse {
        try request.onlyQuery(["run", "job", "logs", "last_event_id"])
        guard let hub = events else { throw .unavailable("the event stream is not running in this server") }
        var filter = EventFilter()
        for text in request.queryList("run") {
            guard let id = Int64(text), id > 0 else {
                throw .badRequest("run=\(text) is not a run id (a positive whole number); GET /api/v1/runs lists them")
            }
            filter.runs.insert(id)
        }
        filter.jobs = Set(request.queryList("job").filter { !$0.isEmpty })
        switch request.query("logs") {
        case nil, "0", "false": filter.logs = false
        case "1", "true": filter.logs = true
        case let other?: throw .badRequest("logs=\(other) must be 1 or 0")
        }
        var after: Int64? = nil
        if let text = request.headers["last-event-id"] ?? request.query("last_event_id") {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let id = Int64(trimmed), id >= 0 else {
                throw .badRequest("the last event id \"\(text)\" is not an event id (a whole number from 0); "
                    + "send the id: of the last message received")
            }
            after = id
        }
        // Compressed for a client that asks (every browser does): the bytes on the wire, not the
        // daemon's CPU, are what 100 clients of a busy run cost (Docs/performance.md).
        let gzip = request.acceptsGzip
        let stream = try hub.stream(filter: filter, after: after, gzip: gzip)
        var headers = [("Content-Type", "text/event-stream; charset=utf-8"), ("X-Accel-Buffering", "no"), ("Vary", "Accept-Encoding")]
        if gzip { headers.append(("Content-Encoding", "gzip")) }
        return ServerResponse(status: 200, headers: headers, body: .stream(stream))
    }
}
