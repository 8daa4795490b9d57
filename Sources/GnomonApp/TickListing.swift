import Foundation
import GnomonCore
import GnomonStore

/// `gnomon ticks`: every fire time the daemon considered for a job and what it decided.
public enum TickListing {
    /// The fire times from this machine's store.
    public static func list(job: String, limit: Int, json: Bool, settings: GlobalSettings) throws(AppError) -> String {
        try render(try LocalSource(settings: settings).ticks(job: job, limit: limit), job: job, json: json, settings: settings)
    }

    /// The fire times from `source`.
    public static func list(job: String, limit: Int, json: Bool, source: any CommandSource) async throws(AppError) -> String {
        try render(try await source.ticks(job: job, limit: limit), job: job, json: json, settings: source.settings)
    }

    /// The fire times as a table or JSON; nil ticks means there is no database yet.
    static func render(_ ticks: [Tick]?, job: String, json: Bool, settings: GlobalSettings) throws(AppError) -> String {
        guard let ticks else {
            return json ? "[]" : "no ticks yet (no database at \(settings.databasePath))"
        }
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
