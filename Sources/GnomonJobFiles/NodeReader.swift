import GnomonCore

/// Reads typed values out of YAML nodes, collecting a diagnostic for every problem instead of
/// stopping at the first.
///
/// Every accessor takes the node and its key path, reports what is wrong at the node's own line
/// and column, and returns `nil` when the value cannot be used.
final class NodeReader {
    /// One key and its value in a mapping.
    struct Entry {
        let key: String
        let keyNode: YAMLNode
        let value: YAMLNode
        let path: String
    }

    /// Most nodes visited in one file beyond the ones written in it. Aliases can make a small
    /// file expand enormously; a thousand tasks sharing a dozen settings through an alias stay
    /// well under this, and a file of 100,000 tasks written out is read whatever its size.
    static let aliasBudget = 100_000

    private(set) var diagnostics: [Diagnostic] = []
    let path: String
    private var visited = 0
    /// Most nodes visited: the ones written, plus ``aliasBudget``.
    private let budget: Int
    private var exhausted: Bool { visited > budget }

    /// - Parameter written: nodes written in the file (``Composer/Composition/written``).
    init(path: String, written: Int = 0) {
        self.path = path
        self.budget = written + Self.aliasBudget
    }

    // MARK: Reporting

    /// The file's line and column of a node.
    func position(of node: YAMLNode) -> (line: Int, column: Int) {
        (node.position.line, node.position.column)
    }

    /// Records a problem at a node. Once the node budget is spent nothing more is recorded: what
    /// follows would be problems of a file only partly read.
    func report(_ node: YAMLNode?, _ keyPath: String, _ message: String) {
        guard !exhausted else { return }
        let (line, column) = node.map(position(of:)) ?? (1, 1)
        diagnostics.append(Diagnostic(path: path, line: line, column: column, keyPath: keyPath, message: message))
    }

    func report(line: Int, column: Int, _ keyPath: String, _ message: String) {
        guard !exhausted else { return }
        diagnostics.append(Diagnostic(path: path, line: line, column: column, keyPath: keyPath, message: message))
    }

    /// Counts a visited node; `false` once the budget is spent (reported once).
    func tick(_ node: YAMLNode) -> Bool {
        visited += 1
        if visited == budget + 1 {
            let (line, column) = position(of: node)
            diagnostics.append(Diagnostic(
                path: path, line: line, column: column, keyPath: "",
                message: "the file expands to more than \(Self.aliasBudget) values through its aliases (beyond the \(budget - Self.aliasBudget) written); write the values out or simplify"))
        }
        return !exhausted
    }

    // MARK: Shapes

    /// How a node is shown after "got": quoted scalar text (shortened), or its kind.
    static func describe(_ node: YAMLNode) -> String {
        switch node {
        case .scalar(let scalar):
            if isNull(node) { return "nothing" }
            return "\"\(shorten(scalar.string))\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// Whether a node is YAML's null: nothing at all, `~` or `null`, unquoted.
    static func isNull(_ node: YAMLNode) -> Bool {
        guard case .scalar(let scalar) = node, scalar.isPlain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    static func child(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func typeError(_ node: YAMLNode, _ path: String, expected: String, hint: String = "") {
        report(node, path, "must be \(expected) (got \(Self.describe(node)))\(hint)")
    }

    /// The entries of a mapping, each key once. A repeated key is reported where it repeats and
    /// left out; keys that are not plain text are reported and left out.
    func entries(_ node: YAMLNode, _ path: String, expected: String = "a mapping", noun: String = "key") -> [Entry]? {
        guard case .mapping(let mapping) = node else {
            typeError(node, path, expected: expected)
            return nil
        }
        var first: [String: YAMLNode] = [:]
        var out: [Entry] = []
        for (keyNode, value) in mapping {
            guard tick(keyNode) else { return out }
            guard case .scalar(let scalar) = keyNode, !Self.isNull(keyNode) else {
                report(keyNode, path, "keys must be plain text (got \(Self.describe(keyNode)))")
                continue
            }
            let key = scalar.string
            let keyPath = Self.child(path, key)
            if let earlier = first[key] {
                let where_ = position(of: earlier).line
                report(keyNode, keyPath, "\(noun) \"\(key)\" is defined again (first at line \(where_)); remove or rename one")
                continue
            }
            first[key] = keyNode
            out.append(Entry(key: key, keyNode: keyNode, value: value, path: keyPath))
        }
        return out
    }

    /// Reports every entry whose key is not in `known`, with a suggestion where one is close.
    func rejectUnknown(_ entries: [Entry], known: [String], special: [String: String] = [:]) {
        for entry in entries where !known.contains(entry.key) {
            if let message = special[entry.key] {
                report(entry.keyNode, entry.path, message)
            } else if entry.key == "<<" {
                report(entry.keyNode, entry.path, "merge keys (<<) are not supported; put settings shared by tasks under defaults")
            } else if let guess = Suggest.closest(to: entry.key, among: known) {
                report(entry.keyNode, entry.path, "unknown key \"\(entry.key)\"; did you mean \"\(guess)\"?")
            } else {
                report(entry.keyNode, entry.path, "unknown key \"\(entry.key)\"; expected one of: \(known.joined(separator: ", "))")
            }
        }
    }

    // MARK: Scalars

    /// Any scalar's text (numbers and booleans as written); `nil` for null and collections.
    func text(_ node: YAMLNode, _ path: String, expected: String = "text", allowEmpty: Bool = false) -> String? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            typeError(node, path, expected: expected)
            return nil
        }
        if !allowEmpty, scalar.string.allSatisfy(\.isWhitespace) {
            report(node, path, "must not be empty; give \(expected) or remove the key")
            return nil
        }
        return scalar.string
    }

    /// One of an enum's raw values, with a suggestion for a near miss.
    func choice<T: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ path: String, of: T.Type) -> T? where T.RawValue == String {
        let names = T.allCases.map(\.rawValue)
        let list = names.joined(separator: ", ")
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            typeError(node, path, expected: "one of \(list)")
            return nil
        }
        if let value = T(rawValue: scalar.string) { return value }
        let hint = Suggest.closest(to: scalar.string, among: names).map { "; did you mean \"\($0)\"?" } ?? ""
        report(node, path, "must be one of \(list) (got \(Self.describe(node)))\(hint)")
        return nil
    }

    func bool(_ node: YAMLNode, _ path: String) -> Bool? {
        if case .scalar(let scalar) = node, scalar.isPlain {
            if scalar.string == "true" { return true }
            if scalar.string == "false" { return false }
        }
        typeError(node, path, expected: "true or false")
        return nil
    }

    /// A whole number within `range`, with the bound in the message when it is outside.
    func integer(_ node: YAMLNode, _ path: String, in range: ClosedRange<Int>,
                 expected: String = "an integer", hint: String = "") -> Int? {
        guard case .scalar(let scalar) = node, scalar.isPlain, Self.looksInteger(scalar.string) else {
            typeError(node, path, expected: expected)
            return nil
        }
        let got = Self.shorten(scalar.string)
        guard let value = Int(got) else {
            // All digits but too long for Int: outside the range on one side or the other.
            let message = got.hasPrefix("-") ? "must be \(range.lowerBound) or more" : "must be at most \(range.upperBound)"
            report(node, path, "\(message) (got \(got))\(hint)")
            return nil
        }
        if value < range.lowerBound {
            report(node, path, "must be \(range.lowerBound) or more (got \(got))\(hint)")
            return nil
        }
        if value > range.upperBound {
            report(node, path, "must be at most \(range.upperBound) (got \(got))\(hint)")
            return nil
        }
        return value
    }

    /// A finite decimal number, checked against optional bounds.
    func number(_ node: YAMLNode, _ path: String, above lower: Double? = nil, atLeast least: Double? = nil,
                atMost upper: Double? = nil) -> Double? {
        guard case .scalar(let scalar) = node, scalar.isPlain, Self.looksDecimal(scalar.string),
              let value = Double(scalar.string), value.isFinite else {
            typeError(node, path, expected: "a number")
            return nil
        }
        let got = Self.shorten(scalar.string)
        if let least, let upper, value < least || value > upper {
            report(node, path, "must be between \(Self.format(least)) and \(Self.format(upper)) (got \(got))")
            return nil
        }
        if let least, value < least {
            report(node, path, "must be \(Self.format(least)) or more (got \(got))")
            return nil
        }
        if let lower, value <= lower {
            report(node, path, "must be more than \(Self.format(lower)) (got \(got))")
            return nil
        }
        if let upper, value > upper {
            report(node, path, "must be at most \(Self.format(upper)) (got \(got))")
            return nil
        }
        return value
    }

    /// A duration such as `90s` or `1h30m`; zero only where `allowZero`.
    func duration(_ node: YAMLNode, _ path: String, allowZero: Bool = false) -> Duration? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            typeError(node, path, expected: "a duration like 90s, 15m or 1h30m")
            return nil
        }
        switch DurationText.parse(scalar.string) {
        case .failure(let problem):
            report(node, path, problem.description)
            return nil
        case .success(let value):
            if !allowZero, value == .zero {
                report(node, path, "must be longer than 0s (got \"\(scalar.string)\"); remove the key for no limit")
                return nil
            }
            return value
        }
    }

    /// A size such as `100MiB` or a number of bytes, at least `least`.
    func byteSize(_ node: YAMLNode, _ path: String, atLeast least: Int64) -> Int64? {
        guard case .scalar(let scalar) = node, !Self.isNull(node) else {
            typeError(node, path, expected: "a size like 100MiB, 512KiB or 1GiB")
            return nil
        }
        switch ByteSize.parse(scalar.string) {
        case .failure(let problem):
            report(node, path, problem.description)
            return nil
        case .success(let value):
            guard value >= least else {
                report(node, path, "must be at least \(ByteSize.format(least)) (got \"\(scalar.string)\")")
                return nil
            }
            return value
        }
    }

    // MARK: Collections

    /// A list of texts; each bad item is reported at its own line.
    /// The items of a list that must hold at least one: anything else is a type error (a single
    /// value with the remedy of writing it as a list), and an empty list reports `whenEmpty`.
    func nonEmptyList(_ node: YAMLNode, _ path: String, expected: String, whenEmpty: String) -> YAMLNode.Sequence? {
        guard case .sequence(let sequence) = node else {
            typeError(node, path, expected: expected, hint: Self.asListHint(node))
            return nil
        }
        if sequence.isEmpty {
            report(node, path, whenEmpty)
            return nil
        }
        return sequence
    }

    /// `; write it as a list: [VALUE]` for a single value given where a list belongs; empty for
    /// nothing (null) or for a mapping or list.
    static func asListHint(_ node: YAMLNode) -> String {
        guard !isNull(node), let scalar = node.scalar else { return "" }
        return "; write it as a list: [\(scalar.string)]"
    }

    func textList(_ node: YAMLNode, _ path: String, expected: String) -> [String]? {
        guard case .sequence(let sequence) = node else {
            typeError(node, path, expected: expected)
            return nil
        }
        var out: [String] = []
        var valid = true
        for (index, item) in sequence.enumerated() {
            guard tick(item) else { return nil }
            if let value = text(item, "\(path)[\(index)]") { out.append(value) } else { valid = false }
        }
        return valid ? out : nil
    }

    /// An environment mapping: variable names to texts (numbers and booleans as written).
    func environment(_ node: YAMLNode, _ path: String) -> [String: String]? {
        guard let entries = entries(node, path, expected: "a mapping of variable names to values") else { return nil }
        var out: [String: String] = [:]
        var valid = true
        for entry in entries {
            if let problem = Self.environmentNameProblem(entry.key) {
                report(entry.keyNode, entry.path, problem)
                valid = false
            }
            if let value = text(entry.value, entry.path, expected: "text (write \"\" for an empty value)", allowEmpty: true) {
                out[entry.key] = value
            } else {
                valid = false
            }
        }
        return valid ? out : nil
    }

    static func environmentNameProblem(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        let ok = !scalars.isEmpty && scalars.enumerated().allSatisfy { index, c in
            c == "_" || ("A"..."Z").contains(c) || ("a"..."z").contains(c) || (index > 0 && ("0"..."9").contains(c))
        }
        if !ok {
            return "\"\(name)\" is not a variable name; use letters, digits and _, not starting with a digit"
        }
        if name.hasPrefix("GNOMON_") {
            return "names starting with GNOMON_ are reserved for the variables Gnomon sets; rename \"\(name)\""
        }
        return nil
    }

    // MARK: Helpers

    static func looksInteger(_ text: String) -> Bool {
        let digits = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func looksDecimal(_ text: String) -> Bool {
        var rest = Substring(text)
        if rest.first == "-" || rest.first == "+" { rest = rest.dropFirst() }
        let mantissa = rest.prefix { ($0.isASCII && $0.isNumber) || $0 == "." }
        guard mantissa.contains(where: \.isNumber), mantissa.filter({ $0 == "." }).count <= 1 else { return false }
        rest = rest.dropFirst(mantissa.count)
        if rest.isEmpty { return true }
        guard rest.first == "e" || rest.first == "E" else { return false }
        return looksInteger(String(rest.dropFirst()))
    }

    /// `text`, cut to 40 characters for quoting in a message.
    static func shorten(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "..." : text
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
