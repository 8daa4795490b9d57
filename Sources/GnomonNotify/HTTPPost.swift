import CGnomonCurl
import GnomonHTTPClient

/// One POST of a JSON body, judged as webhook receivers answer: 2xx delivered; 408, 429 and
/// 5xx worth retrying; any other status not.
struct HTTPPost: Sendable {
    /// The most of a refusing answer's body quoted in the error.
    static let quotedBodyCharacters = 200

    var url: String
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    var timeout: Duration

    func send() async -> DeliveryResult {
        let lines = headers.map { "\($0.name): \($0.value)" }
        let url = url, body = body, timeout = milliseconds(timeout)
        let outcome = await Transfer.run { cancelled, result in
            withCStrings(lines) { headers in
                _ = gnomon_http_post(url, headers, lines.count, body, body.count, timeout, cancelled, result)
            }
        }
        if let failure = outcome.failure(to: Endpoint(url: url), timeout: self.timeout) { return failure }
        return Self.judge(status: outcome.status, body: outcome.bodyText, url: url)
    }

    /// The result of an answer with `status` and `body`.
    static func judge(status: Int, body: String, url: String) -> DeliveryResult {
        if (200..<300).contains(status) { return .delivered(detail: "HTTP \(status)") }
        let retryable = status == 408 || status == 429 || (500..<600).contains(status)
        let quoted = quote(body)
        return .failed(
            error: "\(url) answered HTTP \(status)" + (quoted.isEmpty ? "" : ": \(quoted)"),
            retryable: retryable)
    }

    /// The start of a body on one line: whitespace runs folded to one space, at most
    /// ``quotedBodyCharacters`` characters, `...` when cut.
    static func quote(_ body: String) -> String {
        let folded = body.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard folded.count > quotedBodyCharacters else { return folded }
        return folded.prefix(quotedBodyCharacters) + "..."
    }
}
