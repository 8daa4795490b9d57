import CGnomonCurl
import GnomonHTTPClient
import GnomonCore
import Foundation

/// The host and port a URL points at, for messages: `chat.example port 443`.
struct Endpoint: Sendable {
    var host: String
    var port: Int?

    init(url: String) {
        let components = URLComponents(string: url)
        host = components?.host ?? url
        let defaults = ["http": 80, "https": 443, "smtp": 25]
        port = components?.port ?? components?.scheme.flatMap { defaults[$0.lowercased()] }
    }

    var description: String { host + (port.map { " port \($0)" } ?? "") }
}

extension Transfer.Outcome {
    /// Why a transfer to `endpoint` failed, in words, and whether a later try may succeed; nil
    /// when the transfer itself went through (its answer is then the caller's to judge).
    func failure(to endpoint: Endpoint, timeout: Duration) -> DeliveryResult? {
        let detail = error.isEmpty ? "" : " (\(error))"
        switch kind {
        case GNOMON_TRANSFER_OK:
            return nil
        case GNOMON_TRANSFER_TIMED_OUT:
            return .failed(error: "\(endpoint.description) timed out after \(timeoutText(timeout))\(detail)", retryable: true)
        case GNOMON_TRANSFER_COULD_NOT_CONNECT:
            return .failed(error: "could not connect to \(endpoint.description)\(detail)", retryable: true)
        case GNOMON_TRANSFER_TLS:
            return .failed(error: "TLS with \(endpoint.description) failed\(detail)", retryable: false)
        case GNOMON_TRANSFER_LOGIN_DENIED:
            return .failed(error: "\(endpoint.description) refused the user name or password\(detail)", retryable: false)
        case GNOMON_TRANSFER_BROKEN:
            return .failed(error: "the connection to \(endpoint.description) broke\(detail)", retryable: true)
        case GNOMON_TRANSFER_CANCELLED:
            return .failed(error: "the delivery to \(endpoint.description) was cancelled", retryable: true)
        default:
            return .failed(error: "could not deliver to \(endpoint.description)\(detail)", retryable: false)
        }
    }
}

/// `10s`, `1500ms`: a timeout as job files write durations.
func timeoutText(_ timeout: Duration) -> String {
    DurationText.format(timeout)
}

/// A timeout in whole milliseconds for libcurl, at least 1 (0 would mean none).
func milliseconds(_ timeout: Duration) -> Int {
    max(1, Int(timeout.wholeMilliseconds))
}
