import Foundation

/// A request as a route handler sees it: matched, authenticated, its body read within the limit.
public struct ServerRequest: Sendable {
    public var method: String
    public var path: String
    /// The `{name}` segments of the route's template, percent-decoded.
    public var parameters: [String: String]
    /// Query items in order (a name may repeat).
    public var query: [(name: String, value: String)]
    /// Header names lowercased.
    public var headers: [String: String]
    public var body: Data
    /// Who asked; nil only on routes that need no token.
    public var principal: Principal?

    public init(
        method: String, path: String, parameters: [String: String] = [:], query: [(name: String, value: String)] = [],
        headers: [String: String] = [:], body: Data = Data(), principal: Principal? = nil
    ) {
        self.method = method
        self.path = path
        self.parameters = parameters
        self.query = query
        self.headers = headers
        self.body = body
        self.principal = principal
    }

    /// A path parameter the route's template guarantees.
    public func parameter(_ name: String) -> String { parameters[name] ?? "" }

    /// The last value of a query item.
    public func query(_ name: String) -> String? { query.last { $0.name == name }?.value }

    /// Every value of a query item that may repeat (or be comma-separated).
    public func queryList(_ name: String) -> [String] {
        query.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map(String.init) }
    }

    /// Refuses query items the route does not know, naming them and the ones it does.
    public func onlyQuery(_ known: Set<String>) throws(APIError) {
        let unknown = Set(query.map(\.name)).subtracting(known).sorted()
        guard unknown.isEmpty else {
            throw .badRequest("unknown query parameter\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")); "
                + (known.isEmpty ? "this endpoint takes none" : "this endpoint takes \(known.sorted().joined(separator: ", "))"))
        }
    }

    /// An integer query item within `range`, or `fallback` when absent.
    public func intQuery(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws(APIError) -> Int {
        guard let text = query(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw .badRequest("query parameter \(name)=\(text) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// An Int64 path parameter (a run id), or a 404-worthy error naming the parameter.
    public func idParameter(_ name: String, what: String) throws(APIError) -> Int64 {
        let text = parameter(name)
        guard let value = Int64(text), value > 0 else {
            throw .notFound("\(what) \"\(text)\" is not a \(what) id (a positive whole number)")
        }
        return value
    }

    /// The body as a JSON object whose keys are all in `allowed` (an empty body is `{}`).
    /// Malformed JSON, a body that is not an object and unknown fields are 400s naming the field.
    public func jsonObject(allowed: Set<String>) throws(APIError) -> [String: Any] {
        if body.isEmpty || body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return [:] }
        if let type = headers["content-type"], !type.lowercased().hasPrefix("application/json") {
            throw .unsupportedMediaType("the body is \(type); send Content-Type: application/json (curl: -H 'Content-Type: application/json')")
        }
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed])
        } catch {
            throw .badRequest("the body is not valid JSON (\(Self.describe(error))); send a JSON object such as {}")
        }
        guard let object = parsed as? [String: Any] else {
            throw .badRequest("the body must be a JSON object, such as {}")
        }
        let unknown = Set(object.keys).subtracting(allowed).sorted()
        guard unknown.isEmpty else {
            throw .badRequest("unknown field\(unknown.count > 1 ? "s" : "") \(unknown.joined(separator: ", ")) in the body; "
                + (allowed.isEmpty ? "this endpoint takes an empty object" : "allowed: \(allowed.sorted().joined(separator: ", "))"))
        }
        return object
    }

    private static func describe(_ error: any Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String
        return text ?? "\(error)"
    }
}
