/// A node of a job file's YAML document, with where it starts in the file: what the reader needs
/// and nothing more.
///
/// A mapping keeps its keys in the file's order, repeated ones included, so the reader can report
/// each repeat where it is. Aliases are resolved by the composer: an alias is the node its anchor
/// names, with that node's position.
enum YAMLNode {
    case scalar(Scalar)
    case mapping(Mapping)
    case sequence(Sequence)

    /// Text as written (numbers and booleans too), and whether it was plain: unquoted, not a
    /// block scalar. Only a plain scalar can be null, a number or a boolean.
    struct Scalar {
        let string: String
        let isPlain: Bool
        let position: Position
        /// Written in single or double quotes: its text starts one column after `position`.
        var isQuoted = false

        /// The file position of the character at `offset` (in characters) of the text, when the
        /// text stands on one line as written (plain or quoted, nothing before it on another
        /// line); the scalar's own position otherwise.
        func position(atOffset offset: Int) -> Position {
            let before = string.prefix(offset)
            guard isPlain || isQuoted, !before.contains(where: \.isNewline) else { return position }
            return Position(line: position.line, column: position.column + (isQuoted ? 1 : 0) + before.unicodeScalars.count)
        }
    }

    /// Key and value pairs in the file's order, repeated keys included.
    struct Mapping: RandomAccessCollection {
        let pairs: [(key: YAMLNode, value: YAMLNode)]
        let position: Position

        var startIndex: Int { pairs.startIndex }
        var endIndex: Int { pairs.endIndex }
        subscript(index: Int) -> (key: YAMLNode, value: YAMLNode) { pairs[index] }
    }

    /// The items of a list.
    struct Sequence: RandomAccessCollection {
        let items: [YAMLNode]
        let position: Position

        var startIndex: Int { items.startIndex }
        var endIndex: Int { items.endIndex }
        subscript(index: Int) -> YAMLNode { items[index] }
    }

    /// Where a node starts: 1-based line and column, columns counted in Unicode scalars (as libyaml
    /// counts them). A node with an anchor or a tag starts at the anchor or the tag.
    struct Position: Equatable {
        let line: Int
        let column: Int
    }

    var position: Position {
        switch self {
        case .scalar(let scalar): scalar.position
        case .mapping(let mapping): mapping.position
        case .sequence(let sequence): sequence.position
        }
    }

    var scalar: Scalar? {
        if case .scalar(let scalar) = self { return scalar }
        return nil
    }

    var mapping: Mapping? {
        if case .mapping(let mapping) = self { return mapping }
        return nil
    }

    var sequence: Sequence? {
        if case .sequence(let sequence) = self { return sequence }
        return nil
    }
}
