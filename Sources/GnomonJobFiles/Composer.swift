import Yams

/// Composes YAML text into Yams nodes without stopping at duplicate keys.
///
/// Yams refuses a mapping with a repeated key (it throws at the first one, naming the first
/// occurrence), which would hide every other problem in the file. So on each such error the
/// composer marks that first occurrence with `marker` and composes again; the reader then strips
/// the marker, sees both keys and reports the repetition where it happens. `MarkMap` translates
/// positions in the marked text back to the file's own columns.
enum Composer {
    /// Prefix put in front of a repeated key: a private-use character no job file contains.
    static let marker: Unicode.Scalar = "\u{E000}"
    /// Most repeated keys handled before giving up; each costs one more parse (about 50 ms for a
    /// thousand-line file in a debug build).
    static let maximumRepeats = 20

    /// A composed document, or why there is none.
    struct Composition {
        var root: Node?
        var marks = MarkMap()
        var problems: [TextGuard.Problem] = []
    }

    static func compose(_ text: String) -> Composition {
        var current = text
        var composition = Composition()
        var lastRepeat: (line: Int, column: Int) = (1, 1)
        for _ in 0...maximumRepeats {
            do {
                // The basic resolver skips implicit-type regexes: the reader reads numbers itself, and Yams
                // hashes every key with its resolved tag while checking for repeats.
                composition.root = try Yams.compose(yaml: current, .basic)
                return composition
            } catch let YamlError.duplicatedKeysInMapping(_, context) {
                lastRepeat = (context.mark.line, context.mark.column)
                guard let marked = mark(context.mark, in: current, map: &composition.marks) else { break }
                current = marked
            } catch let error as YamlError {
                composition.problems = [problem(from: error, in: current, marks: composition.marks)]
                return composition
            } catch {
                composition.problems = [.init(line: 1, column: 1, message: "YAML could not be read: \(error)")]
                return composition
            }
        }
        let (line, column) = composition.marks.original(line: lastRepeat.line, column: lastRepeat.column)
        composition.problems = [.init(line: line, column: column,
                                      message: "more than \(maximumRepeats) keys are defined twice (this is one); remove the repeated keys")]
        return composition
    }

    /// `text` with the marker inserted in the key that starts at `mark`, or `nil` if the key
    /// cannot be marked.
    private static func mark(_ mark: Mark, in text: String, map: inout MarkMap) -> String? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.unicodeScalars) }
        guard mark.line >= 1, mark.line <= lines.count else { return nil }
        var line = lines[mark.line - 1]
        var index = mark.column - 1
        guard index >= 0, index < line.count else { return nil }
        // Skip a tag or an anchor in front of the key, then step inside a quote.
        while index < line.count, line[index] == "!" || line[index] == "&" {
            while index < line.count, line[index] != " " { index += 1 }
            while index < line.count, line[index] == " " { index += 1 }
        }
        guard index < line.count else { return nil }
        if line[index] == "\"" || line[index] == "'" { index += 1 }
        line.insert(marker, at: index)
        lines[mark.line - 1] = line
        map.recordInsertion(line: mark.line, markedColumn: index + 1)
        var out = String.UnicodeScalarView()
        for (number, scalars) in lines.enumerated() {
            if number > 0 { out.append("\n") }
            out.append(contentsOf: scalars)
        }
        return String(out)
    }

    /// A YAML error turned into a problem at a position in the original file.
    private static func problem(from error: YamlError, in text: String, marks: MarkMap) -> TextGuard.Problem {
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
    /// Per line, the marked-text columns (1-based) at which a marker was inserted, ascending.
    private var insertions: [Int: [Int]] = [:]

    /// Records a marker inserted at `markedColumn` of `line` in the current marked text.
    mutating func recordInsertion(line: Int, markedColumn: Int) {
        var columns = insertions[line, default: []]
        // Markers already recorded to the right of this one have moved one column right.
        columns = columns.map { $0 >= markedColumn ? $0 + 1 : $0 }
        columns.append(markedColumn)
        insertions[line] = columns.sorted()
    }

    /// The file's own line and column for a position in the marked text.
    func original(line: Int, column: Int) -> (Int, Int) {
        let before = insertions[line, default: []].filter { $0 < column }.count
        return (max(1, line), max(1, column - before))
    }
}
