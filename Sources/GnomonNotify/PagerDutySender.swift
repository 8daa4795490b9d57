import Foundation
import GnomonCore

/// Sends an alert as a PagerDuty Events API v2 event: `resolve` for a recovery, `trigger` for
/// everything else, one incident per job (`dedup_key: gnomon-JOB`), so the recovery resolves the
/// page its failure opened. The home's disk space has an incident of its own
/// (`gnomon-disk-space`): `disk_low` triggers it, `disk_ok` resolves it.
public struct PagerDutySender: AlertSender {
    public let target: PagerDutyTarget

    public init(target: PagerDutyTarget) {
        self.target = target
    }

    public func send(_ alert: Alert) async -> DeliveryResult {
        await HTTPPost(
            url: target.url, headers: [(name: "Content-Type", value: "application/json")],
            body: Self.body(of: alert, routingKey: target.routingKey), timeout: target.timeout
        ).send()
    }

    /// The incident key of a job's alerts.
    public static func dedupKey(job: String) -> String { "gnomon-" + job }

    /// The incident key of the home's disk space alerts.
    public static let diskSpaceKey = "gnomon-disk-space"

    /// The event's JSON: for a trigger, `routing_key`, `event_action`, `dedup_key` and `payload`
    /// (`summary` the alert's text, `source: gnomon`, `severity: error`, `timestamp` the latest of
    /// the alert's times when it has one, `custom_details` the whole alert); a resolve carries
    /// only the first three.
    public static func body(of alert: Alert, routingKey: String) -> [UInt8] {
        let resolves = alert.type == .recovery || alert.type == .diskOk
        let disk = alert.type == .diskLow || alert.type == .diskOk
        let event = Event(
            routingKey: routingKey, eventAction: resolves ? "resolve" : "trigger",
            dedupKey: disk ? diskSpaceKey : dedupKey(job: alert.job),
            payload: resolves ? nil : Payload(
                summary: alert.text, source: "gnomon", severity: "error",
                timestamp: (alert.finishedAt ?? alert.startedAt ?? alert.scheduledAt).map(ISOTime.utc),
                customDetails: alert))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Strings and an alert (see Alert.jsonBody()) always encode.
        return Array((try? encoder.encode(event)) ?? Data())
    }

    /// An Events API v2 event; a nil payload or timestamp is left out.
    private struct Event: Encodable {
        var routingKey: String
        var eventAction: String
        var dedupKey: String
        var payload: Payload?

        enum CodingKeys: String, CodingKey {
            case routingKey = "routing_key", eventAction = "event_action", dedupKey = "dedup_key", payload
        }
    }

    private struct Payload: Encodable {
        var summary: String
        var source: String
        var severity: String
        var timestamp: String?
        var customDetails: Alert

        enum CodingKeys: String, CodingKey {
            case summary, source, severity, timestamp, customDetails = "custom_details"
        }
    }
}
