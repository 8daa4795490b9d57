import Foundation
import GnomonCore
import GnomonDaemon
import GnomonServer
import GnomonStore

/// What every API handler works with: the daemon's open store and folders, and its nudge.
struct APIContext: Sendable {
    let daemon: DaemonHandle
    let settings: GlobalSettings
    /// `--metrics-public`: `/metrics` needs no token.
    var metricsPublic = false
    /// The counters and histograms `/metrics` keeps between scrapes.
    let metricsCollector = MetricsCollector()
    /// The shared reader of the event record behind `GET /api/v1/events` (nil: no event stream).
    var events: EventHub?

    var store: GnomonStore { daemon.store }

    /// Runs a store call, turning its error into the API's (404 for an unknown run, 503 when the
    /// database cannot be used, 409 for a refused change) with the store's own message.
    func store<T>(_ body: (GnomonStore) throws -> T) throws(APIError) -> T {
        do { return try body(store) } catch { throw APIError(AppError(error)) }
    }

    /// The JSON of `value`, as the CLI's `--json` writes it (compact).
    func json<T: Encodable>(_ value: T, what: String, status: Int = 200) throws(APIError) -> ServerResponse {
        do {
            return .json(try JSONOutput.data(value, what: what), status: status)
        } catch {
            throw APIError(error)
        }
    }
}

extension APIError {
    /// The one mapping from a command's error to an API error: the same message, the status that
    /// says the same thing over HTTP.
    init(_ error: AppError) {
        switch error.status {
        case .usage: self = .badRequest(error.message)
        case .notFound: self = .notFound(error.message)
        case .failure, .cancelled: self = .conflict(error.message)
        case .timedOut: self = .timedOut(error.message)
        case .environment: self = .unavailable(error.message)
        case .success: self = .internal(error.message)
        }
    }
}
