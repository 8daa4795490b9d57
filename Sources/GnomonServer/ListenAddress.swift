/// Where `gnomon daemon --listen` serves: a host and a port, or nowhere (`none`).
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    case none
    case tcp(host: String, port: Int)

    /// The default: this machine only, port 8470.
    public static let standard = ListenAddress.tcp(host: "127.0.0.1", port: 8470)

    /// Reads `HOST:PORT`, `[IPv6]:PORT` or `none`; the error says what is wrong and what to write.
    public static func parse(_ text: String) -> Result<ListenAddress, ServerSetupError> {
        if text == "none" { return .success(.none) }
        let host: Substring, port: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return .failure(.badListen(text)) }
            port = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return .failure(.badListen(text)) }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let number = Int(port), (0...65535).contains(number) else {
            return .failure(.badListen(text))
        }
        return .success(.tcp(host: String(host), port: number))
    }

    public var description: String {
        switch self {
        case .none: return "none"
        case .tcp(let host, let port): return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        }
    }
}

/// Why the server could not be set up: a bad `--listen`, an unreadable tokens file, a port in use.
public enum ServerSetupError: Error, Sendable, CustomStringConvertible {
    case badListen(String)
    case tokens(String)
    case cannotListen(String)

    public var description: String {
        switch self {
        case .badListen(let text):
            return "--listen \"\(text)\" is not HOST:PORT with a port from 0 to 65535 (for example 127.0.0.1:8470, "
                + "0.0.0.0:8470, [::1]:8470), nor none"
        case .tokens(let message), .cannotListen(let message): return message
        }
    }
}
