import Foundation
import GnomonCore
import GnomonDaemon
import GnomonServer

/// Every route of the daemon's server: the JSON API under `/api/v1`, `/health`, and the web UI.
/// Docs/openapi.json describes each API route; a test holds the two to each other.
enum APIRoutes {
    static func make(_ context: APIContext) -> [Route] {
        [
            Route(.get, "/health", role: nil) { _ throws(APIError) in try context.health() },
            Route(.get, "/api/v1/openapi.json", role: .read) { _ throws(APIError) in
                .json(Data(OpenAPIDocument.text.utf8))
            },
            Route(.get, "/api/v1/jobs", role: .read) { request throws(APIError) in try context.listJobs(request) },
            Route(.get, "/api/v1/jobs/{job}", role: .read) { request throws(APIError) in try context.showJob(request) },
            Route(.get, "/api/v1/jobs/{job}/ticks", role: .read) { request throws(APIError) in try context.listTicks(request) },
            Route(.post, "/api/v1/jobs/{job}/runs", role: .operate) { request throws(APIError) in
                try await context.triggerRun(request)
            },
            Route(.post, "/api/v1/jobs/{job}/pause", role: .operate) { request throws(APIError) in
                try context.setPaused(request, paused: true)
            },
            Route(.post, "/api/v1/jobs/{job}/resume", role: .operate) { request throws(APIError) in
                try context.setPaused(request, paused: false)
            },
            Route(.get, "/api/v1/runs", role: .read) { request throws(APIError) in try context.listRuns(request) },
            Route(.get, "/api/v1/runs/{id}", role: .read) { request throws(APIError) in try context.showRun(request) },
            Route(.post, "/api/v1/runs/{id}/kill", role: .operate) { request throws(APIError) in try context.killRun(request) },
            Route(.post, "/api/v1/runs/{id}/retry", role: .operate) { request throws(APIError) in
                try await context.retryRun(request)
            },
            Route(.get, "/api/v1/runs/{id}/tasks/{task}/attempts/{n}/log", role: .read) { request throws(APIError) in
                try context.attemptLog(request)
            },
            Route(.get, "/api/v1/events", role: .read) { request throws(APIError) in try context.streamEvents(request) },
            // Prometheus scrapes it; `--metrics-public` lets it scrape without a token.
            Route(.get, "/metrics", role: context.metricsPublic ? nil : .read) { request throws(APIError) in
                try await context.metrics(request)
            },
        ] + WebUI.routes()
    }
}

extension APIContext {
    /// `GET /health`: 200 while the database answers, 503 when it does not.
    func health() throws(APIError) -> ServerResponse {
        var database: [String: Any] = ["reachable": true]
        do {
            _ = try store.lastEventID()
        } catch {
            database = ["reachable": false, "error": "\(error)"]
        }
        let reachable = database["reachable"] as? Bool ?? false
        let object: [String: Any] = [
            "status": reachable ? "ok" : "degraded",
            "version": GnomonVersion.current,
            "started_at": ISOTime.utc(daemon.startedAt),
            "scheduler_lag_seconds": daemon.schedulerLag().map { ($0 * 1000).rounded() / 1000 } as Any? ?? NSNull(),
            "database": database,
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return .json(data, status: reachable ? 200 : 503)
    }
}
