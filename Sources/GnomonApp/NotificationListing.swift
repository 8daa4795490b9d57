import Foundation
import GnomonCore
import GnomonStore

/// `gnomon notifications`: the alerts queued for each channel and how their delivery went.
public enum NotificationListing {
    /// Newest alerts first, of `job` only when given, as a table or JSON (the store's `Delivery`
    /// shape); never creates a database.
    public static func list(job: String?, limit: Int, json: Bool, settings: GlobalSettings) throws(AppError) -> String {
        guard let workspace = try Workspace.openIfPresent(settings) else {
            return json ? "[]" : "no alerts yet (no database at \(settings.databasePath))"
        }
        let deliveries: [Delivery]
        do {
            deliveries = try workspace.store.deliveries(job: job, limit: limit)
        } catch { throw AppError(error) }
        if json { return try JSONOutput.string(deliveries, what: "the alerts") }
        if deliveries.isEmpty { return job.map { "no alerts for job \($0) yet" } ?? "no alerts yet" }
        var table = TextTable(headers: ["ID", "JOB", "RUN", "KIND", "CHANNEL", "STATE", "TRIES", "QUEUED", "DELIVERED", "ANSWER OR ERROR"])
        for delivery in deliveries {
            table.add([
                String(delivery.id), delivery.job, delivery.runID.map(String.init) ?? "-", delivery.kind, delivery.channel,
                delivery.state, String(delivery.tries), ISOTime.utc(delivery.queuedAt),
                delivery.deliveredAt.map(ISOTime.utc) ?? "-", result(of: delivery),
            ])
        }
        return table.lines().joined(separator: "\n")
    }

    /// The receiver's answer once delivered, else the last error (`-` before the first try).
    static func result(of delivery: Delivery) -> String {
        if delivery.deliveredAt != nil, let answer = delivery.answer { return answer }
        return delivery.lastError ?? "-"
    }
}
