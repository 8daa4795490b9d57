// libyaml itself, which Yams wraps: its event parser lists keys without building nodes or
// refusing repeats. (A module of the Yams package, imported through the Yams product.)
import CYaml

/// Finds every mapping key that repeats an earlier key of the same mapping, in one pass over the
/// parser's events (no nodes are built).
enum RepeatedKeys {
    /// A key that repeats an earlier one of its mapping.
    struct Repeat: Equatable {
        /// Where its node starts (1-based line and column, in Unicode scalars, as Yams' marks).
        let line: Int
        let column: Int
        /// How many times the key appeared before in its mapping (1 for the first repeat).
        let occurrence: Int
    }

    /// Every repeated key of `text` up to the end or to the first syntax error (whose report is
    /// the composer's).
    static func find(in text: String) -> [Repeat] {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return [] }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            return scan(&parser)
        }
    }

    /// An open collection: a mapping counts its keys and knows whether a key comes next.
    private struct Frame {
        var isMapping: Bool
        var keyNext = true
        var seen: [String: Int] = [:]
    }

    private static func scan(_ parser: inout yaml_parser_t) -> [Repeat] {
        var repeats: [Repeat] = []
        var stack: [Frame] = []
        var event = yaml_event_t()
        while yaml_parser_parse(&parser, &event) == 1 {
            defer { yaml_event_delete(&event) }
            let type = event.type
            if type == YAML_STREAM_END_EVENT { break }
            if type == YAML_MAPPING_END_EVENT || type == YAML_SEQUENCE_END_EVENT {
                _ = stack.popLast()
                continue
            }
            guard type == YAML_SCALAR_EVENT || type == YAML_ALIAS_EVENT
                || type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT else { continue }
            // A node: a key or a value of the innermost mapping, or an item of a list.
            if let top = stack.indices.last, stack[top].isMapping {
                if stack[top].keyNext, type == YAML_SCALAR_EVENT {
                    let scalar = event.data.scalar
                    let key = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
                    let earlier = stack[top].seen[key, default: 0]
                    if earlier > 0 {
                        repeats.append(Repeat(line: event.start_mark.line + 1, column: event.start_mark.column + 1,
                                              occurrence: earlier))
                    }
                    stack[top].seen[key] = earlier + 1
                }
                stack[top].keyNext.toggle()
            }
            if type == YAML_MAPPING_START_EVENT { stack.append(Frame(isMapping: true)) }
            if type == YAML_SEQUENCE_START_EVENT { stack.append(Frame(isMapping: false)) }
        }
        return repeats
    }
}
