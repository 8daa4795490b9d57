// libyaml itself (a module of the Yams package, imported through the Yams product): its event
// parser, from which the composer builds `YAMLNode`s in one pass.
import CYaml

/// Composes YAML text into `YAMLNode`s in one pass over libyaml's events, however many repeated
/// keys the text has.
///
/// A mapping keeps every key, repeats included: the reader reports each repeat where it is. An
/// alias becomes the node its anchor names (defined before it, as YAML requires). The first syntax
/// error, an alias without an anchor or a second document ends the composition with one problem
/// at its position.
enum Composer {
    /// A composed document, or why there is none.
    struct Composition {
        /// `nil` for a file with no document at all (empty, or only comments).
        var root: YAMLNode?
        var problems: [TextGuard.Problem] = []
        /// Nodes written in the text (scalars, lists and mappings; an alias is not one): the
        /// reader's budget of values visited is this plus what aliases may add.
        var written = 0
    }

    /// Composes `text`, parsing it once.
    static func compose(_ text: String) -> Composition {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return Composition(problems: [outOfMemory])
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        var storage = text
        return storage.withUTF8 { bytes in
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            var builder = Builder()
            return builder.run(&parser, text: text)
        }
    }

    private static let outOfMemory = TextGuard.Problem(line: 1, column: 1, message: "YAML could not be read: out of memory")

    /// The collections still open while their events arrive, and the anchors defined so far.
    private struct Builder {
        /// An open collection: a list's items, or a mapping's pairs and a key waiting for its value.
        struct Frame {
            let position: YAMLNode.Position
            let anchor: String?
            let isMapping: Bool
            var items: [YAMLNode] = []
            var pairs: [(key: YAMLNode, value: YAMLNode)] = []
            var key: YAMLNode?
        }

        var stack: [Frame] = []
        var anchors: [String: YAMLNode] = [:]
        var root: YAMLNode?
        var documentEnded = false
        var written = 0

        mutating func run(_ parser: inout yaml_parser_t, text: String) -> Composition {
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    return Composition(problems: [Composer.problem(from: parser, in: text)])
                }
                defer { yaml_event_delete(&event) }
                let position = YAMLNode.Position(line: event.start_mark.line + 1, column: event.start_mark.column + 1)
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return Composition(root: root, written: written)
                case YAML_DOCUMENT_START_EVENT where documentEnded:
                    return Composition(problems: [TextGuard.Problem(
                        line: position.line, column: position.column,
                        message: "a job file holds one YAML document; remove the second \"---\" and what follows")])
                case YAML_DOCUMENT_END_EVENT:
                    documentEnded = true
                case YAML_SCALAR_EVENT:
                    let scalar = event.data.scalar
                    let style = scalar.style
                    let node = YAMLNode.scalar(.init(
                        string: String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self),
                        isPlain: style == YAML_PLAIN_SCALAR_STYLE || style == YAML_ANY_SCALAR_STYLE,
                        position: position,
                        isQuoted: style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE))
                    define(Self.name(scalar.anchor), node)
                    written += 1
                    add(node)
                case YAML_ALIAS_EVENT:
                    guard let name = Self.name(event.data.alias.anchor), let node = anchors[name] else {
                        return Composition(problems: [TextGuard.Problem(
                            line: position.line, column: position.column,
                            message: "this alias names no anchor; define it first with &name, then use *name")])
                    }
                    add(node)
                case YAML_SEQUENCE_START_EVENT:
                    written += 1
                    stack.append(Frame(position: position, anchor: Self.name(event.data.sequence_start.anchor), isMapping: false))
                case YAML_MAPPING_START_EVENT:
                    written += 1
                    stack.append(Frame(position: position, anchor: Self.name(event.data.mapping_start.anchor), isMapping: true))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let frame = stack.popLast() else { break }
                    let node: YAMLNode = frame.isMapping
                        ? .mapping(.init(pairs: frame.pairs, position: frame.position))
                        : .sequence(.init(items: frame.items, position: frame.position))
                    define(frame.anchor, node)
                    add(node)
                default:
                    // The stream's and the first document's start: nothing to build.
                    break
                }
            }
        }

        /// An anchor names its node from the end of that node on; a later anchor of the same
        /// name replaces it, as YAML says.
        private mutating func define(_ anchor: String?, _ node: YAMLNode) {
            if let anchor { anchors[anchor] = node }
        }

        /// Puts a finished node where it belongs: the document's root, a list's next item, a
        /// mapping's next key or the value of the key waiting.
        private mutating func add(_ node: YAMLNode) {
            guard let top = stack.indices.last else {
                root = node
                return
            }
            if !stack[top].isMapping {
                stack[top].items.append(node)
            } else if let key = stack[top].key {
                stack[top].pairs.append((key: key, value: node))
                stack[top].key = nil
            } else {
                stack[top].key = node
            }
        }

        private static func name(_ anchor: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            anchor.map { String(cString: $0) }
        }
    }

    /// The parser's error as a problem at its position in the file.
    private static func problem(from parser: yaml_parser_t, in text: String) -> TextGuard.Problem {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
            var context = ""
            if let text = parser.context {
                let mark = parser.context_mark
                context = " (\(String(cString: text)) at line \(mark.line + 1), column \(mark.column + 1))"
            }
            return .init(line: parser.problem_mark.line + 1, column: parser.problem_mark.column + 1,
                         message: "YAML syntax error: \(problem)\(context)")
        case YAML_READER_ERROR:
            // The offset counts bytes; the position counts characters up to it.
            let index = text.utf8.index(text.utf8.startIndex, offsetBy: parser.problem_offset, limitedBy: text.utf8.endIndex)?
                .samePosition(in: text)
            let (line, column) = position(ofCharacter: index.map { text.distance(from: text.startIndex, to: $0) } ?? 0, in: text)
            let code = parser.problem_value >= 0 ? " (character code \(parser.problem_value))" : ""
            return .init(line: line, column: column,
                         message: "the file cannot be read as YAML text: \(problem)\(code); remove the character")
        case YAML_MEMORY_ERROR:
            return outOfMemory
        default:
            return .init(line: 1, column: 1, message: "YAML could not be read: \(problem)")
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
