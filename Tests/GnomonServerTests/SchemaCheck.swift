import Foundation

/// A JSON value with its kind kept exactly (a boolean is never a number).
enum JSON: Decodable, Equatable, CustomStringConvertible {
    case null, bool(Bool), integer(Int64), number(Double), string(String), array([JSON]), object([String: JSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .integer(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSON].self)) }
    }

    static func parse(_ data: Data) throws -> JSON { try JSONDecoder().decode(JSON.self, from: data) }

    subscript(key: String) -> JSON? { if case .object(let object) = self { return object[key] } else { return nil } }
    var string: String? { if case .string(let value) = self { return value } else { return nil } }
    var array: [JSON]? { if case .array(let value) = self { return value } else { return nil } }
    var int: Int64? { if case .integer(let value) = self { return value } else { return nil } }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return "\(value)"
        case .integer(let value): return "\(value)"
        case .number(let value): return "\(value)"
        case .string(let value): return "\"\(value.prefix(40))\""
        case .array(let value): return "array of \(value.count)"
        case .object(let value): return "object with \(value.keys.sorted().prefix(5))"
        }
    }
}

/// Checks a JSON value against a schema of the OpenAPI document: the subset of JSON Schema the
/// document uses (type, enum, properties, required, additionalProperties, items, oneOf, $ref).
struct SchemaCheck {
    let document: JSON

    /// Every mismatch, each with the path of the value (`$.runs[0].status`); empty when it matches.
    func problems(_ value: JSON, _ schema: JSON, at path: String = "$") -> [String] {
        if let reference = schema["$ref"]?.string {
            guard let resolved = resolve(reference) else { return ["\(path): unresolvable \(reference)"] }
            return problems(value, resolved, at: path)
        }
        if let choices = schema["oneOf"]?.array {
            let matching = choices.filter { problems(value, $0, at: path).isEmpty }
            return matching.count == 1 ? [] : ["\(path): \(value) matches \(matching.count) of the oneOf choices"]
        }
        if let allowed = schema["enum"]?.array, !allowed.contains(value) {
            return ["\(path): \(value) is not one of \(allowed)"]
        }
        if let type = schema["type"] {
            let types = type.array?.compactMap(\.string) ?? [type.string ?? ""]
            guard types.contains(where: { Self.matches(value, $0) }) else { return ["\(path): \(value) is not \(types)"] }
        }
        var found: [String] = []
        if case .object(let object) = value {
            var properties: [String: JSON] = [:]
            if case .object(let declared)? = schema["properties"] { properties = declared }
            for name in schema["required"]?.array?.compactMap(\.string) ?? [] where object[name] == nil {
                found.append("\(path): the required key \(name) is missing")
            }
            for (key, item) in object {
                if let property = properties[key] {
                    found += problems(item, property, at: "\(path).\(key)")
                } else if case .object? = schema["additionalProperties"] {
                    found += problems(item, schema["additionalProperties"]!, at: "\(path).\(key)")
                } else if schema["additionalProperties"] == .bool(false) {
                    found.append("\(path): the key \(key) is not in the schema")
                }
            }
        }
        if case .array(let items) = value, let schemaOfItems = schema["items"] {
            for (index, item) in items.enumerated() { found += problems(item, schemaOfItems, at: "\(path)[\(index)]") }
        }
        return found
    }

    /// The schema of the answer `status` of `method path` (a template such as /api/v1/runs/{id}).
    func responseSchema(method: String, path: String, status: Int) -> JSON? {
        document["paths"]?[path]?[method.lowercased()]?["responses"]?[String(status)]?["content"]?["application/json"]?["schema"]
    }

    private func resolve(_ reference: String) -> JSON? {
        var node: JSON? = document
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    static func matches(_ value: JSON, _ type: String) -> Bool {
        switch (value, type) {
        case (.null, "null"), (.bool, "boolean"), (.integer, "integer"), (.integer, "number"), (.number, "number"),
             (.string, "string"), (.array, "array"), (.object, "object"):
            return true
        default:
            return false
        }
    }
}
