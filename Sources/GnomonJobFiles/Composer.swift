import Yams

/// Composes YAML text into Yams nodes without stopping at duplicate keys, parsing the text once
/// however many duplicates it has.
///
/// Yams refuses a mapping with a repeated key (it throws at the first one), which would hide every
/// other problem in the file. So when the first compose meets a repeat, one scan of the parser's
/// events (`RepeatedKeys`) finds every key that repeats an earlier one of its mapping; each gets a
/// prefix that makes it distinct (`marker`, its occurrence number, `marker`) and the text is
/// composed once more. The reader strips the prefix, sees every key and reports each repetition
/// where it happens. `MarkMap` translates positions in the marked text back to the file's own.
enum Composer {
    /// Delimits the prefix put in front of a repeated key: a private-use character no job file
    /// contains.
    static let marker: Unicode.Scalar = "\u{E000}"

    /// A composed document, or why there is none.
    struct Composition {
        var root: Node?
        var marks = MarkMap()
        var problems: [TextGuard.Problem] = []
    }

    /// Composes `text` with `parse` (Yams' composer; a test counts the calls): once for a file
    /// without repeated keys, twice for one with any number of them.
    static func compose(
        _ text: String, parse: (String) throws -> Node? = { try Yams.compose(yaml: $0, .basic) }
    ) -> Composition {
        var composition = Composition()
        do {
            composition.root = try parse(text)
            return composition
        } catch YamlError.duplicatedKeysInMapping {
            // Handled below, once.
        } catch {
            composition.problems = [problem(from: error, in: text, marks: composition.marks)]
            return composition
        }
        let marked = mark(RepeatedKeys.find(in: text), in: text)
        composition.marks = marked.marks
        do {
            composition.root = try parse(marked.text)
        } catch {
            composition.problems = [problem(from: error, in: marked.text, marks: composition.marks)]
        }
        return composition
    }

    /// `text` with a distinct prefix in front of each repeated key, and the map back to the
    /// file's columns. A key that cannot be marked (there is no such key at its position) is
    /// left as it is.
    static func mark(_ repeats: [RepeatedKeys.Repeat], in text: String) -> (text: String, marks: MarkMap) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        var insertions: [Int: [MarkMap.Insertion]] = [:]
        for (number, repeats) in Dictionary(grouping: repeats, by: \.line) {
            guard number >= 1, number <= lines.count else { continue }
            var line = lines[number - 1]
            // Right to left, so each insertion leaves the columns of those still to come alone.
            var found: [MarkMap.Insertion] = []
            for key in repeats.sorted(by: { $0.column > $1.column }) {
                guard let index = keyStart(in: line, at: key.column - 1) else { continue }
                let prefix = [marker] + "\(key.occurrence)".unicodeScalars + [marker]
                line.insert(contentsOf: prefix, at: index)
                found.append(MarkMap.Insertion(column: index + 1, width: prefix.count))
            }
            lines[number - 1] = line
            // The columns found are the file's; an insertion's column in the marked line is
            // further right by the widths of the insertions before it.
            var shift = 0
            insertions[number] = found.reversed().map { insertion in
                defer { shift += insertion.width }
                return MarkMap.Insertion(column: insertion.column + shift, width: insertion.width)
            }
        }
        var out = String.UnicodeScalarView()
        for (number, scalars) in lines.enumerated() {
            if number > 0 { out.append("\n") }
            out.append(contentsOf: scalars)
        }
        return (String(out), MarkMap(insertions: insertions))
    }

    /// Where the text of the key whose node starts at `index` begins: past a tag or an anchor,
    /// inside a quote.
    private static func keyStart(in line: [Unicode.Scalar], at start: Int) -> Int? {
        var index = start
        guard index >= 0, index < line.count else { return nil }
        while index < line.count, line[index] == "!" || line[index] == "&" {
            while index < line.count, line[index] != " " { index += 1 }
            while index < line.count, line[index] == " " { index += 1 }
        }
        guard index < line.count else { return nil }
        if line[index] == "\"" || line[index] == "'" { index += 1 }
        return index
    }

    /// A key as written, without the prefix `mark` may have put in front of it.
    static func unmarked(_ key: String) -> String {
        guard key.unicodeScalars.first == marker else { return key }
        let rest = key.unicodeScalars.dropFirst()
        guard let end = rest.firstIndex(of: marker) else { return key }
        return String(String.UnicodeScalarView(rest[rest.index(after: end)...]))
    }

    /// A YAML error turned into a problem at a position in the original file.
    private static func problem(from error: Error, in text: String, marks: MarkMap) -> TextGuard.Problem {
        guard let error = error as? YamlError else {
            return .init(line: 1, column: 1, message: "YAML could not be read: \(error)")
        }
        func at(_ mark: Mark, _ message: String) -> TextGuard.Problem {
            let (line, column) = marks.original(line: mark.line, column: mark.column)
            return .init(line: line, column: column, message: message)
        }
        func contextText(_ context: YamlError.Context?) -> String {
            guard let context else { return "" }
            let (line, column) = marks.original(line: context.mark.line, column: context.mark.column)
            return " (\(context.text) at line \(line), column \(column))"
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _):
            return at(mark, "YAML syntax error: \(problem)\(contextText(context))")
        case let .composer(context, problem, mark, _):
            if problem.contains("undefined alias") {
                return at(mark, "this alias names no anchor; define it first with &name, then use *name")
            }
            if problem.contains("another document") {
                return at(mark, "a job file holds one YAML document; remove the second \"---\" and what follows")
            }
            return at(mark, "YAML error: \(problem)\(contextText(context))")
        case let .reader(problem, offset, value, yaml):
            let (line, column) = position(ofCharacter: offset ?? 0, in: yaml)
            let mapped = marks.original(line: line, column: column)
            let code = value >= 0 ? " (character code \(value))" : ""
            return .init(line: mapped.0, column: mapped.1,
                         message: "the file cannot be read as YAML text: \(problem)\(code); remove the character")
        case .memory:
            return .init(line: 1, column: 1, message: "YAML could not be read: out of memory")
        case let .duplicatedKeysInMapping(duplicates, context):
            // Not expected: every repeated key was marked. Said plainly all the same.
            return at(context.mark, "key \"\(duplicates.first.map(unmarked) ?? "")\" is defined more than once in this mapping; remove or rename the repeats")
        default:
            return .init(line: 1, column: 1, message: "YAML could not be read: \(error)")
        }
    }

    /// The 1-based line and column of the character at `offset` characters into `text`.
    private static func position(ofCharacter offset: Int, in text: String) -> (Int, Int) {
        var line = 1
        var column = 1
        for character in text.prefix(max(0, offset)) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return (line, column)
    }
}

/// Translates columns in the marked text back to columns in the file.
struct MarkMap {
    /// Text inserted in a line: at a column (1-based) of the marked line, this many scalars.
    struct Insertion {
        let column: Int
        let width: Int
    }

    /// Per line, the insertions in ascending column order.
    private var insertions: [Int: [Insertion]] = [:]

    init(insertions: [Int: [Insertion]] = [:]) {
        self.insertions = insertions
    }

    /// The file's own line and column for a position in the marked text.
    func original(line: Int, column: Int) -> (Int, Int) {
        let before = insertions[line, default: []].filter { $0.column < column }.reduce(0) { $0 + $1.width }
        return (max(1, line), max(1, column - before))
    }
}
