/// JSON text for an `Encodable` value, without Foundation's `JSONEncoder`: the same JSON (it
/// decodes with `JSONDecoder` to an equal value), object keys sorted by code point.
///
/// It exists for the run snapshot: a 1,000-task job took `JSONEncoder` about 28 ms and takes this
/// about 17 ms (most of what is left is Codable's own dispatch), on the path to a run's first
/// task (Docs/performance.md). Only what Codable types made of strings, numbers, booleans,
/// arrays and dictionaries need is supported (no Date or Data strategies); a Double that is not
/// finite is an error, as with `JSONEncoder`. Coding paths are not tracked: every container
/// reports an empty one (no error here needs it).
enum JSONText {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        var output: [UInt8] = []
        output.reserveCapacity(4096)
        try Node.of(value).write(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `string` as a JSON string literal (quoted and escaped).
    static func appendString(_ string: String, to output: inout [UInt8]) {
        Scalar.appendString(string, to: &output)
    }

    /// One value of the document being built.
    fileprivate enum Node {
        /// Finished JSON text: a string, a number, a boolean or null.
        case scalar([UInt8])
        case array(ArrayBox)
        case object(ObjectBox)

        static func of<T: Encodable>(_ value: T) throws -> Node {
            if let scalar = try Scalar.text(of: value) { return .scalar(scalar) }
            let encoder = NodeEncoder()
            try value.encode(to: encoder)
            guard let node = encoder.node else {
                // A type that encoded nothing: JSONEncoder writes an empty object.
                return .object(ObjectBox())
            }
            return node
        }

        func write(to output: inout [UInt8]) throws {
            var orders: [[String]: [Int]] = [:]
            try write(to: &output, orders: &orders)
        }

        /// `orders`: for each sequence of keys met so far, the order its pairs are written in
        /// (the values of one type all encode the same keys in the same order, so each such
        /// sequence is sorted once per document).
        private func write(to output: inout [UInt8], orders: inout [[String]: [Int]]) throws {
            switch self {
            case .scalar(let text):
                output.append(contentsOf: text)
            case .array(let box):
                output.append(UInt8(ascii: "["))
                for (index, item) in box.items.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    try item.write(to: &output, orders: &orders)
                }
                output.append(UInt8(ascii: "]"))
            case .object(let box):
                output.append(UInt8(ascii: "{"))
                let keys = box.pairs.map(\.key)
                let order: [Int]
                if let known = orders[keys] {
                    order = known
                } else {
                    order = JSONText.order(of: keys)
                    orders[keys] = order
                }
                for (index, position) in order.enumerated() {
                    if index > 0 { output.append(UInt8(ascii: ",")) }
                    let pair = box.pairs[position]
                    Scalar.appendString(pair.key, to: &output)
                    output.append(UInt8(ascii: ":"))
                    try pair.value.write(to: &output, orders: &orders)
                }
                output.append(UInt8(ascii: "}"))
            }
        }
    }

    /// The positions of the pairs to write, sorted by key; for a key encoded twice, only the
    /// later one (its value wins, as in JSONEncoder).
    static func order(of keys: [String]) -> [Int] {
        let sorted = keys.indices.sorted { left, right in
            if keys[left] == keys[right] { return left < right }
            return keys[left].utf8.lexicographicallyPrecedes(keys[right].utf8)
        }
        var order: [Int] = []
        order.reserveCapacity(sorted.count)
        for position in sorted {
            if let last = order.last, keys[last] == keys[position] { order[order.count - 1] = position } else { order.append(position) }
        }
        return order
    }

    fileprivate final class ArrayBox {
        var items: [Node] = []
    }

    fileprivate final class ObjectBox {
        var pairs: [(key: String, value: Node)] = []
    }
}

/// Text of the values JSON writes as they are.
private enum Scalar {
    static func text<T: Encodable>(of value: T) throws -> [UInt8]? {
        // Metatype comparisons, not dynamic casts: this runs for every value of the document.
        if T.self == String.self { return quoted(reinterpret(value)) }
        if T.self == Int.self { return Array(String(reinterpret(value) as Int).utf8) }
        if T.self == Bool.self { return Array(((reinterpret(value) as Bool) ? "true" : "false").utf8) }
        if T.self == Double.self { return try number(reinterpret(value)) }
        if T.self == Int64.self { return Array(String(reinterpret(value) as Int64).utf8) }
        if T.self == UInt64.self { return Array(String(reinterpret(value) as UInt64).utf8) }
        if T.self == Int32.self { return Array(String(reinterpret(value) as Int32).utf8) }
        if T.self == UInt32.self { return Array(String(reinterpret(value) as UInt32).utf8) }
        if T.self == UInt.self { return Array(String(reinterpret(value) as UInt).utf8) }
        if T.self == Int16.self { return Array(String(reinterpret(value) as Int16).utf8) }
        if T.self == UInt16.self { return Array(String(reinterpret(value) as UInt16).utf8) }
        if T.self == Int8.self { return Array(String(reinterpret(value) as Int8).utf8) }
        if T.self == UInt8.self { return Array(String(reinterpret(value) as UInt8).utf8) }
        if T.self == Float.self { return try number(Double(reinterpret(value) as Float)) }
        return nil
    }

    /// `value` as `U`; only called once `T.self == U.self` has been checked.
    private static func reinterpret<T, U>(_ value: T) -> U {
        withUnsafePointer(to: value) { $0.withMemoryRebound(to: U.self, capacity: 1) { $0.pointee } }
    }

    static func number(_ value: Double) throws -> [UInt8] {
        guard value.isFinite else {
            throw JSONText.Failure(description: "\(value) cannot be written as a JSON number")
        }
        if value == value.rounded(.towardZero), abs(value) < 1e15 { return Array(String(Int64(value)).utf8) }
        return Array(String(value).utf8)
    }

    static func quoted(_ string: String) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count + 2)
        appendString(string, to: &output)
        return output
    }

    static func appendString(_ string: String, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { bytes in
            // Runs of bytes that need no escape (almost all of them) are copied at once.
            var start = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
                appendEscaped(byte, to: &output)
                start = index + 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ byte: UInt8, to output: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
        case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
        case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
        case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
        case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
        case 0..<0x20:
            let hex = Array("0123456789abcdef".utf8)
            output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            output.append(hex[Int(byte >> 4)])
            output.append(hex[Int(byte & 0xF)])
        default: output.append(byte)
        }
    }
}

/// The `Encoder` a non-scalar value encodes itself into; its first container decides its node.
private final class NodeEncoder: Encoder {
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var node: JSONText.Node?

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if case .object(let box) = node { return KeyedEncodingContainer(KeyedContainer(box: box)) }
        let box = JSONText.ObjectBox()
        node = .object(box)
        return KeyedEncodingContainer(KeyedContainer(box: box))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if case .array(let box) = node { return UnkeyedContainer(box: box) }
        let box = JSONText.ArrayBox()
        node = .array(box)
        return UnkeyedContainer(box: box)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleContainer(encoder: self)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONText.ObjectBox
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) throws {
        box.pairs.append((key.stringValue, .scalar(Array("null".utf8))))
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        box.pairs.append((key.stringValue, try JSONText.Node.of(value)))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONText.ObjectBox()
        box.pairs.append((key.stringValue, .object(nested)))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONText.ArrayBox()
        box.pairs.append((key.stringValue, .array(nested)))
        return UnkeyedContainer(box: nested)
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: "super")
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key.stringValue)
    }

    private func superEncoder(named name: String) -> any Encoder {
        // Filled in after the fact: the box keeps a reference to the nested encoder's node.
        let nested = JSONText.ObjectBox()
        box.pairs.append((name, .object(nested)))
        return BoxEncoder(object: nested)
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: JSONText.ArrayBox
    var codingPath: [any CodingKey] { [] }
    var count: Int { box.items.count }

    mutating func encodeNil() throws {
        box.items.append(.scalar(Array("null".utf8)))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        box.items.append(try JSONText.Node.of(value))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONText.ObjectBox()
        box.items.append(.object(nested))
        return KeyedEncodingContainer(KeyedContainer<NestedKey>(box: nested))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONText.ArrayBox()
        box.items.append(.array(nested))
        return UnkeyedContainer(box: nested)
    }

    mutating func superEncoder() -> any Encoder {
        let nested = JSONText.ObjectBox()
        box.items.append(.object(nested))
        return BoxEncoder(object: nested)
    }
}

private struct SingleContainer: SingleValueEncodingContainer {
    let encoder: NodeEncoder
    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() throws {
        encoder.node = .scalar(Array("null".utf8))
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.node = try JSONText.Node.of(value)
    }
}

/// A super encoder: keyed containers write into an object already placed in the document.
private final class BoxEncoder: Encoder {
    let object: JSONText.ObjectBox
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(object: JSONText.ObjectBox) {
        self.object = object
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(KeyedContainer(box: object))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        preconditionFailure("JSONText: a super encoder holds an object; encode the superclass with a keyed container")
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        preconditionFailure("JSONText: a super encoder holds an object; encode the superclass with a keyed container")
    }
}
