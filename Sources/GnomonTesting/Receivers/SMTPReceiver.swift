import Foundation

/// A real SMTP server (Debian's python3-aiosmtpd) on 127.0.0.1 that records every message it
/// accepts to a file in its folder; for email tests.
public struct SMTPReceiver: Sendable {
    /// What the server offers and demands.
    public struct Options: Sendable {
        /// Offers STARTTLS with this certificate and key, and then requires it before MAIL.
        public var tls: (certificate: String, key: String)?
        /// Requires AUTH with this user and password (over TLS when `tls` is set).
        public var credentials: (user: String, password: String)?
        /// Refuses every RCPT TO with this reply (`550 5.1.1 no such user`).
        public var refuseRecipients: String?

        public init(
            tls: (certificate: String, key: String)? = nil, credentials: (user: String, password: String)? = nil,
            refuseRecipients: String? = nil
        ) {
            self.tls = tls
            self.credentials = credentials
            self.refuseRecipients = refuseRecipients
        }
    }

    /// One accepted message.
    public struct Message: Decodable, Sendable {
        public var mailFrom: String
        public var recipients: [String]
        /// The message as received after DATA, dot-stuffing undone, base64.
        var data64: String
        /// Whether the session was upgraded with STARTTLS.
        public var tls: Bool
        /// The AUTH mechanism and login that succeeded, if any.
        public var authMechanism: String?
        public var login: String?
        /// The name the client gave in EHLO.
        public var hostName: String?

        /// The message text (headers, blank line, body; CRLF line ends).
        public var data: String { String(decoding: Data(base64Encoded: data64) ?? Data(), as: UTF8.self) }

        enum CodingKeys: String, CodingKey {
            case mailFrom = "mail_from", recipients = "rcpt_tos", data64 = "data", tls
            case authMechanism = "auth_mechanism", login, hostName = "host_name"
        }
    }

    private let receiver: ReceiverProcess
    public let folder: String
    public var port: Int { receiver.port }

    /// Starts a server recording into `folder` (made when missing) on a free port.
    public static func start(in folder: String, options: Options = Options()) async throws -> SMTPReceiver {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let arguments = [
            folder, options.tls?.certificate ?? "", options.tls?.key ?? "",
            options.credentials?.user ?? "", options.credentials?.password ?? "", options.refuseRecipients ?? "",
        ]
        return SMTPReceiver(receiver: try await ReceiverProcess.start(script: script, in: folder, arguments: arguments), folder: folder)
    }

    /// The messages accepted so far, oldest first.
    public func messages() throws -> [Message] {
        try ReceiverProcess.records(Message.self, prefix: "message", in: folder)
    }

    /// Kills the server and waits for its exit.
    public func stop() async { await receiver.stop() }

    /// The receiver's program, beside this file.
    static let script = ReceiverProcess.script(named: "smtp-receiver.py")
}
