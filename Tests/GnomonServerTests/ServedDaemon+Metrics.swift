import GnomonTesting

extension ServedDaemon {
    /// `GET /metrics`, checked against the format.
    func metrics() async throws -> ExpositionChecker {
        let response = try await request("GET", "/metrics")
        guard response.status == 200 else { throw TestSetupError("GET /metrics: \(response.status) \(response.text)") }
        return try ExpositionChecker(response.text)
    }
}
