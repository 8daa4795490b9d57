import CGnomonCurl
import GnomonHTTPClient
import Foundation

/// Sends an alert as a plain-text mail over SMTP (libcurl): STARTTLS when the target asks,
/// AUTH when it has a user, one `RCPT TO` per recipient.
public struct EmailSender: AlertSender {
    public let target: EmailTarget
    /// The time written in the `Date:` header.
    private let now: @Sendable () -> Date

    public init(target: EmailTarget, now: @escaping @Sendable () -> Date = { Date() }) {
        self.target = target
        self.now = now
    }

    public func send(_ alert: Alert) async -> DeliveryResult {
        let target = target
        let message = Array(MailMessage(alert: alert, from: target.from, to: target.to, date: now()).text.utf8)
        let host = target.host.contains(":") ? "[\(target.host)]" : target.host
        let url = "smtp://\(host):\(target.port)"
        let recipients = target.to.map { "<\($0)>" }
        let timeout = milliseconds(target.timeout)
        let outcome = await Transfer.run { cancelled, result in
            withCStrings(recipients) { recipients in
                _ = gnomon_smtp_send(
                    url, target.starttls ? 1 : 0, target.caFile, target.user, target.password, "<\(target.from)>",
                    recipients, target.to.count, message, message.count, timeout, cancelled, result)
            }
        }
        let endpoint = Endpoint(url: url)
        if outcome.kind == GNOMON_TRANSFER_OK { return .delivered(detail: "SMTP \(outcome.status)") }
        // A server that answered with an error reply: 4xx is temporary, 5xx permanent (RFC 5321).
        let answered = [GNOMON_TRANSFER_REFUSED, GNOMON_TRANSFER_BROKEN, GNOMON_TRANSFER_OTHER].contains(outcome.kind)
        if answered && (400..<600).contains(outcome.status) {
            return .failed(
                error: "\(endpoint.description) answered SMTP \(outcome.status) (\(outcome.error))",
                retryable: outcome.status < 500)
        }
        return outcome.failure(to: endpoint, timeout: target.timeout)
            ?? .failed(error: "could not deliver to \(endpoint.description)", retryable: false)
    }
}
