import Foundation
import GnomonCore
import GnomonNotify
import GnomonTesting
import Testing

/// The email sender against a real SMTP server (Debian's python3-aiosmtpd) on a free port:
/// plain, with STARTTLS on a self-signed certificate made by openssl, and with AUTH.
@Suite(.needsReceivers) struct EmailTests {
    static let sentAt = ISOTime.parse("2026-12-07T02:31:14Z")!

    static func sender(port: Int, starttls: Bool = false, user: String? = nil, password: String? = nil,
                       caFile: String? = nil, timeout: Duration = .seconds(10)) -> EmailSender {
        EmailSender(
            target: EmailTarget(
                host: "127.0.0.1", port: port, starttls: starttls, user: user, password: password,
                from: "gnomon@example.com", to: ["data@example.com", "ops@example.com"], timeout: timeout, caFile: caFile),
            now: { sentAt })
    }

    /// The headers and body of the failure's mail, exactly.
    static let expectedFailureMail = [
        "From: gnomon@example.com",
        "To: data@example.com, ops@example.com",
        "Subject: [gnomon] nightly-etl failed (run 812)",
        "Date: Mon, 07 Dec 2026 02:31:14 +0000",
        "Message-ID: <gnomon.event.4711@example.com>",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        "nightly-etl failed (run 812): task load exit 3",
        "",
        "Job: nightly-etl",
        "Event: failure",
        "Run: 812",
        "Status: failed",
        "Previous status: succeeded",
        "Consecutive failures: 1",
        "Trigger: schedule",
        "Scheduled at: 2026-12-07T02:30:00Z",
        "Started at: 2026-12-07T02:30:01.250Z",
        "Finished at: 2026-12-07T02:31:13Z",
        "Duration: 71.75s",
        "Run page: https://gnomon.example/runs/812",
        "Event id: 4711",
        "",
        "Task load: exit 3 (exit code 3)",
        "Last lines of its log:",
        "loading 12 rows",
        ".",
        ".hidden",
        "ERROR: duplicate key",
    ].joined(separator: "\r\n") + "\r\n"

    @Test func plainSMTP() async throws {
        try await withSMTPReceiver { receiver, _ in
            let result = await Self.sender(port: receiver.port).send(Fixtures.failure)
            #expect(result == .delivered(detail: "SMTP 250"))
            let messages = try receiver.messages()
            try #require(messages.count == 1)
            let message = messages[0]
            #expect(message.mailFrom == "gnomon@example.com")
            #expect(message.recipients == ["data@example.com", "ops@example.com"])
            #expect(message.tls == false)
            #expect(message.authMechanism == nil)
            // The lines that are or start with a dot arrive intact: stuffed on the way, unstuffed by the server.
            #expect(message.data == Self.expectedFailureMail)
        }
    }

    @Test func startTLSThenAuth() async throws {
        try await withSMTPReceiver({ scratch in
            let certificate = try await ReceiverTools.selfSignedCertificate(in: scratch.path)
            return SMTPReceiver.Options(tls: certificate, credentials: (user: "gnomon", password: "pa55 word"))
        }) { receiver, scratch in
            let result = await Self.sender(
                port: receiver.port, starttls: true, user: "gnomon", password: "pa55 word", caFile: scratch.file("cert.pem")
            ).send(Fixtures.failure)
            #expect(result == .delivered(detail: "SMTP 250"))
            let message = try #require(try receiver.messages().first)
            #expect(message.tls == true)
            #expect(message.login == "gnomon")
            #expect(["PLAIN", "LOGIN"].contains(message.authMechanism ?? ""))
            #expect(message.data == Self.expectedFailureMail)
        }
    }

    @Test func authWithoutTLS() async throws {
        try await withSMTPReceiver({ _ in SMTPReceiver.Options(credentials: (user: "gnomon", password: "pw")) }) { receiver, _ in
            let result = await Self.sender(port: receiver.port, user: "gnomon", password: "pw").send(Fixtures.test)
            #expect(result == .delivered(detail: "SMTP 250"))
            let message = try #require(try receiver.messages().first)
            #expect(message.tls == false)
            #expect(message.login == "gnomon")
            #expect(message.data.contains("\r\nSubject: [gnomon] nightly-etl test message\r\n"))
        }
    }

    @Test func aWrongPasswordIsNotRetried() async throws {
        try await withSMTPReceiver({ _ in SMTPReceiver.Options(credentials: (user: "gnomon", password: "pw")) }) { receiver, _ in
            let result = await Self.sender(port: receiver.port, user: "gnomon", password: "wrong").send(Fixtures.failure)
            let error = try #require(result.error)
            #expect(error.hasPrefix("127.0.0.1 port \(receiver.port) refused the user name or password"), "\(error)")
            #expect(result.retryable == false)
            let recorded = try receiver.messages()
            #expect(recorded.isEmpty)
        }
    }

    @Test func startTLSAskedOfAServerWithoutIt() async throws {
        try await withSMTPReceiver { receiver, _ in
            let result = await Self.sender(port: receiver.port, starttls: true).send(Fixtures.failure)
            let error = try #require(result.error)
            #expect(error.hasPrefix("TLS with 127.0.0.1 port \(receiver.port) failed"), "\(error)")
            #expect(result.retryable == false)
            let recorded = try receiver.messages()
            #expect(recorded.isEmpty)
        }
    }

    @Test func anUntrustedCertificateFails() async throws {
        try await withSMTPReceiver({ scratch in
            SMTPReceiver.Options(tls: try await ReceiverTools.selfSignedCertificate(in: scratch.path))
        }) { receiver, _ in
            // No caFile: the system's CAs do not trust the self-signed certificate.
            let result = await Self.sender(port: receiver.port, starttls: true).send(Fixtures.failure)
            let error = try #require(result.error)
            #expect(error.hasPrefix("TLS with 127.0.0.1 port \(receiver.port) failed"), "\(error)")
            let recorded = try receiver.messages()
            #expect(recorded.isEmpty)
        }
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var reply: String
        var status: Int
        var retryable: Bool
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "550 is permanent", reply: "550 5.1.1 no such user", status: 550, retryable: false),
        Refusal(name: "451 is temporary", reply: "451 4.3.0 try again later", status: 451, retryable: true),
    ]

    @Test(arguments: refusals) func refusedRecipients(_ refusal: Refusal) async throws {
        try await withSMTPReceiver({ _ in SMTPReceiver.Options(refuseRecipients: refusal.reply) }) { receiver, _ in
            let result = await Self.sender(port: receiver.port).send(Fixtures.failure)
            let error = try #require(result.error)
            #expect(error.hasPrefix("127.0.0.1 port \(receiver.port) answered SMTP \(refusal.status)"), "\(error)")
            #expect(result.retryable == refusal.retryable)
        }
    }

    @Test func aServerThatNeverGreetsFailsWithinItsTimeout() async throws {
        // The HTTP receiver in hang mode accepts and never writes a byte: a silent SMTP server.
        try await withHTTPReceiver(.hang) { receiver in
            let clock = ContinuousClock()
            let start = clock.now
            let result = await Self.sender(port: receiver.port, timeout: .seconds(2)).send(Fixtures.failure)
            let took = clock.now - start
            #expect(took < .seconds(3), "took \(took)")
            let error = try #require(result.error)
            #expect(error.hasPrefix("127.0.0.1 port \(receiver.port) timed out after 2s"), "\(error)")
            #expect(result.retryable == true)
        }
    }

    @Test func aClosedPortIsRetryable() async throws {
        let port = try HTTPReceiver.closedPort()
        let result = await Self.sender(port: port).send(Fixtures.failure)
        let error = try #require(result.error)
        #expect(error.hasPrefix("could not connect to 127.0.0.1 port \(port) ("), "\(error)")
        #expect(result.retryable == true)
    }
}
