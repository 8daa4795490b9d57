import GnomonStore

/// A test rig whose daemon keeps its history in a database the test can open: what both rigs
/// (the in-process `ClockedDaemon` and the binary's `DaemonHarness`) read back the same way.
protocol DaemonHistory: AnyObject {
    /// The daemon's database, opened by the test (WAL: reads never block the daemon).
    func store() throws -> GnomonStore
}

extension DaemonHistory {
    /// Every run of a job, oldest first, in full.
    func runs(of job: String? = nil) throws -> [RunDetail] {
        let store = try store()
        return try store.runs(RunQuery(job: job, limit: 100_000)).reversed().compactMap { try store.run($0.id) }
    }
}
