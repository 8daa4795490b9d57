import Foundation
import GnomonCore
import GnomonServer
import GnomonStore

/// `POST /api/v1/runs/{id}/retry`: the daemon reopens a failed or cancelled run and runs its
/// failed, cancelled and skipped tasks again (what `gnomon retry` does in the foreground).
extension APIContext {
    /// Writes a retry request, nudges the daemon's loop and answers 202 with the run once the
    /// daemon has reopened it (status `queued` or already `running`); 409 when the run is not
    /// failed or cancelled (or became so no longer before the daemon got to it).
    func retryRun(_ request: ServerRequest) async throws(APIError) -> ServerResponse {
        try request.onlyQuery([])
        _ = try request.jsonObject(allowed: [])
        let id = try request.idParameter("id", what: "run")
        let detail = try run(id)
        let status = detail.summary.status
        guard status == .failed || status == .cancelled else {
            throw .conflict("run \(id) is \(status.rawValue); only failed or cancelled runs can be retried"
                + (status.isFinished ? "" : " (wait for it to end, or kill it first)"))
        }
        let requestID = try store { try $0.addRetryRequest(run: id, job: detail.summary.job, at: daemon.now()) }
        let runID = try await answer(to: requestID, refused: "the daemon did not retry run \(id)",
                                     late: "the daemon did not reopen run \(id)")
        return try json(try run(runID), what: "run \(runID)", status: 202)
    }
}
