/// Where and how an email channel sends, its credentials already read.
public struct EmailTarget: Sendable, Hashable {
    /// The SMTP server.
    public var host: String
    public var port: Int
    /// Upgrades the connection with STARTTLS before anything else is sent (and fails when the
    /// server does not offer it); false sends in plain text.
    public var starttls: Bool
    /// Credentials for AUTH (PLAIN or LOGIN, whichever the server offers); none when nil.
    public var user: String?
    public var password: String?
    /// The envelope sender and `From:`.
    public var from: String
    /// The recipients, each a `RCPT TO` and all in `To:`.
    public var to: [String]
    /// The most the whole delivery may take, connection included.
    public var timeout: Duration
    /// A PEM file of certificates to trust instead of the system's (a private CA); nil for the
    /// system's.
    public var caFile: String?

    public init(
        host: String, port: Int = 25, starttls: Bool = false, user: String? = nil, password: String? = nil,
        from: String, to: [String], timeout: Duration = .seconds(10), caFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.starttls = starttls
        self.user = user
        self.password = password
        self.from = from
        self.to = to
        self.timeout = timeout
        self.caFile = caFile
    }
}
