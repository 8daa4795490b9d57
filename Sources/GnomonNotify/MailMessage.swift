import Foundation

/// The RFC 5322 text of an alert's mail: headers, a blank line, the plain-text body, every line
/// ending in CRLF. Dot-stuffing is left to the transfer (libcurl does it while sending).
struct MailMessage {
    var alert: Alert
    var from: String
    var to: [String]
    var date: Date

    /// `[gnomon] nightly-etl failed (run 812)`.
    var subject: String { "[gnomon] " + alert.headline }

    /// Unique per event, the same on every repeated delivery of it.
    var messageID: String {
        let domain = from.split(separator: "@").last.map(String.init) ?? "gnomon"
        return "<gnomon.event.\(alert.eventID)@\(domain)>"
    }

    var text: String {
        let headers = [
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(subject)",
            "Date: \(Self.rfc5322(date))",
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
        ]
        var body = alert.plainText
        if body.hasSuffix("\n") { body.removeLast() }
        return (headers + [""] + body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            .joined(separator: "\r\n") + "\r\n"
    }

    /// `Tue, 08 Dec 2026 02:30:00 +0000`.
    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
