/// A channel that POSTs each event as JSON to a URL.
public struct WebhookChannel: Sendable, Hashable, Codable {
    /// How long one delivery may take when the file does not say.
    public static let defaultTimeout: Duration = .seconds(10)

    /// Where the JSON is POSTed: an `http` or `https` URL.
    public var url: String
    /// The key of the optional HMAC-SHA256 signature over the body; no signature if `nil`.
    public var secret: SecretSource?
    /// Extra headers sent with every request, as written.
    public var headers: [String: String]
    /// How long one delivery may take.
    public var timeout: Duration

    public init(url: String, secret: SecretSource? = nil, headers: [String: String] = [:],
                timeout: Duration = WebhookChannel.defaultTimeout) {
        self.url = url
        self.secret = secret
        self.headers = headers
        self.timeout = timeout
    }

    /// The environment variable holding the HMAC key (`secret_env`), if that is where it is.
    public var secretEnv: String? { secret?.environmentName }
    /// The file holding the HMAC key (`secret_file`, absolute), if that is where it is.
    public var secretFile: String? { secret?.filePath }
}
