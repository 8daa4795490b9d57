/// Posts the alert's JSON body (``Alert/jsonBody()``) to a webhook.
public struct WebhookSender: AlertSender {
    /// The header that carries the body's signature when the target has a secret.
    public static let signatureHeader = "X-Gnomon-Signature"

    public let target: WebhookTarget

    public init(target: WebhookTarget) {
        self.target = target
    }

    public func send(_ alert: Alert) async -> DeliveryResult {
        let body = alert.jsonBody()
        var headers = [(name: "Content-Type", value: "application/json")]
        headers += target.headers.map { (name: $0.name, value: $0.value) }
        if let secret = target.secret {
            headers.append((name: Self.signatureHeader, value: Self.signature(of: body, secret: secret)))
        }
        return await HTTPPost(url: target.url, headers: headers, body: body, timeout: target.timeout).send()
    }

    /// `sha256=` and the lowercase hex HMAC-SHA256 of `body` keyed with `secret`.
    public static func signature(of body: [UInt8], secret: String) -> String {
        "sha256=" + HMACSHA256.hex(key: Array(secret.utf8), message: body)
    }
}
