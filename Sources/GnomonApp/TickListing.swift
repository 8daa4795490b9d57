import Foundation
import GnomonCore
import GnomonStore

/// `gnomon ticks`: every fire time the daemon considered for a job and what it decided.
public enum TickListing {
    public static func list(job: String, limit: Int, json: Bool, settings: GlobalSettings) throws(AppError) -> String {
        guard let workspace = try Workspace.openIfPresent(settings) else {
            return json ? "[]" : "no ticks yet (no database at \(settings.databasePath))"
        }
        let ticks: [Tick]
        do { ticks = try workspace.store.ticks(job: job, limit: limit) } catch { throw AppError(error) }
        if json { return try JSONOutput.string(ticks, what: "the fire times") }
        if ticks.isEmpty { return "no ticks recorded for job \(job)" }
        var table = TextTable(headers: ["FIRE TIME", "DECISION", "RUN", "DECIDED", "DETAIL"])
        for tick in ticks {
            table.add([
                ISOTime.utc(tick.fireTime), tick.decision.rawValue, tick.runID.map(String.init) ?? "-",
                ISOTime.utc(tick.decidedAt), tick.detail ?? "",
            ])
        }
        return table.lines().joined(separator: "\n")
    }
}
