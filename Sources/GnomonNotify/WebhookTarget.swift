/// Where and how a webhook channel posts, its secret already read.
public struct WebhookTarget: Sendable, Hashable {
    /// The http or https URL the alert is POSTed to.
    public var url: String
    /// Signs each body (`X-Gnomon-Signature: sha256=HEX`, HMAC-SHA256 of the exact body) when set.
    public var secret: String?
    /// Extra headers, sent in this order after `Content-Type`.
    public var headers: [Header]
    /// The most the whole delivery may take, connection included.
    public var timeout: Duration

    /// One extra header.
    public struct Header: Sendable, Hashable {
        public var name: String
        public var value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(url: String, secret: String? = nil, headers: [Header] = [], timeout: Duration = .seconds(10)) {
        self.url = url
        self.secret = secret
        self.headers = headers
        self.timeout = timeout
    }
}
