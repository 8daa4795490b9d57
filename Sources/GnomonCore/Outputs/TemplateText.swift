/// A string of a job file that may hold references, `${{ tasks.NAME.outputs.KEY }}` (an output of
/// an upstream task) and `${{ item }}` (the item of a `foreach` instance), resolved when the task
/// starts. `${{` always opens a reference; a text needing the literal characters writes them
/// through `env` or a file.
public struct TemplateText: Sendable, Hashable {
    /// One reference.
    public enum Reference: Error, Sendable, Hashable, CustomStringConvertible {
        case output(task: String, key: String)
        case item

        public var description: String {
            switch self {
            case .output(let task, let key): return "${{ tasks.\(task).outputs.\(key) }}"
            case .item: return "${{ item }}"
            }
        }
    }

    public enum Part: Sendable, Hashable {
        case literal(String)
        case reference(Reference, column: Int)
    }

    /// Why a text's reference cannot be read: the column (from 1, in characters) and what to write.
    public struct Problem: Error, Sendable, Hashable {
        public var column: Int
        public var message: String
    }

    public let parts: [Part]

    /// The references in order, each once.
    public var references: [Reference] {
        var seen: [Reference] = []
        for case .reference(let reference, _) in parts where !seen.contains(reference) { seen.append(reference) }
        return seen
    }

    /// Whether the text holds no reference.
    public var isLiteral: Bool { references.isEmpty }

    /// Reads the references in `text`.
    public static func parse(_ text: String) -> Result<TemplateText, Problem> {
        var parts: [Part] = []
        var literal = ""
        var rest = Substring(text)
        var column = 1
        while let open = rest.range(of: "${{") {
            literal += rest[..<open.lowerBound]
            column += rest[..<open.lowerBound].count
            guard let close = rest[open.upperBound...].range(of: "}}") else {
                return .failure(Problem(column: column, message: "${{ is not closed by }}; write a reference as ${{ tasks.NAME.outputs.KEY }} or ${{ item }}"))
            }
            let inside = rest[open.upperBound..<close.lowerBound].trimmingSpaces
            guard let reference = reference(inside) else {
                return .failure(Problem(column: column, message: "${{ \(inside) }} is not a reference; write ${{ tasks.NAME.outputs.KEY }} or ${{ item }}"))
            }
            if !literal.isEmpty { parts.append(.literal(literal)) }
            literal = ""
            parts.append(.reference(reference, column: column))
            column += rest[open.lowerBound..<close.upperBound].count
            rest = rest[close.upperBound...]
        }
        literal += rest
        if !literal.isEmpty || parts.isEmpty { parts.append(.literal(literal)) }
        return .success(TemplateText(parts: parts))
    }

    /// The text with each reference replaced by `value(reference)`; nil from it stops and returns
    /// that reference (a missing output).
    public func resolve(_ value: (Reference) -> String?) -> Result<String, Reference> {
        var out = ""
        for part in parts {
            switch part {
            case .literal(let text): out += text
            case .reference(let reference, _):
                guard let text = value(reference) else { return .failure(reference) }
                out += text
            }
        }
        return .success(out)
    }

    private static func reference(_ text: Substring) -> Reference? {
        if text == "item" { return .item }
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard pieces.count == 4, pieces[0] == "tasks", pieces[2] == "outputs", !pieces[1].isEmpty,
              OutputFile.keyProblem(String(pieces[3])) == nil
        else { return nil }
        return .output(task: String(pieces[1]), key: String(pieces[3]))
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var text = self
        while text.first == " " || text.first == "\t" { text = text.dropFirst() }
        while text.last == " " || text.last == "\t" { text = text.dropLast() }
        return text
    }
}
