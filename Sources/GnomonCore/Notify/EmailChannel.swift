/// A channel that mails each event through an SMTP server.
public struct EmailChannel: Sendable, Hashable, Codable {
    /// The submission port, where STARTTLS is the norm.
    public static let defaultPort = 587
    /// How long one delivery may take when the file does not say: an SMTP conversation is
    /// several round trips, some servers greet slowly.
    public static let defaultTimeout: Duration = .seconds(30)

    /// The SMTP server's host name or address.
    public var host: String
    public var port: Int
    /// Upgrade the connection with STARTTLS before anything else is sent; plain SMTP if `false`.
    public var starttls: Bool
    /// The login name for SMTP AUTH; no login if `nil` (then `password` is `nil` too).
    public var user: SecretSource?
    /// The password for SMTP AUTH; set exactly when `user` is.
    public var password: SecretSource?
    /// The sender address.
    public var from: String
    /// The recipients; never empty.
    public var to: [String]
    /// How long one delivery may take.
    public var timeout: Duration

    public init(host: String, port: Int = EmailChannel.defaultPort, starttls: Bool = true,
                user: SecretSource? = nil, password: SecretSource? = nil,
                from: String, to: [String], timeout: Duration = EmailChannel.defaultTimeout) {
        self.host = host
        self.port = port
        self.starttls = starttls
        self.user = user
        self.password = password
        self.from = from
        self.to = to
        self.timeout = timeout
    }

    /// `user_env`, if the login name comes from the environment.
    public var userEnv: String? { user?.environmentName }
    /// `user_file` (absolute), if the login name comes from a file.
    public var userFile: String? { user?.filePath }
    /// `password_env`, if the password comes from the environment.
    public var passwordEnv: String? { password?.environmentName }
    /// `password_file` (absolute), if the password comes from a file.
    public var passwordFile: String? { password?.filePath }
}
