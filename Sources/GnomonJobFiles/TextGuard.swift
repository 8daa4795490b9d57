/// Cheap checks on the raw text, made before the YAML parser sees it, that keep the composer and
/// the reader away from input that would exhaust the stack or the processor.
///
/// A tree of nodes is freed recursively, so deep enough nesting overflows a thread's stack, and
/// an alias used as a key can make a small "billion laughs" document expand enormously. Job files
/// need six levels of nesting and plain-text keys, so this guard refuses deeper nesting and keys
/// that are aliases, explicit `?` keys or flow collections. It scans line by line, follows quoted
/// scalars, comments and block scalars, and over-estimates depth rather than under-estimating it.
enum TextGuard {
    /// Largest job file read, in bytes (64 MiB): a run of ``JobFileFormat/maximumTasksPerRun``
    /// tasks written out at a few hundred bytes each fits, and the reader's budget of values
    /// grows with what is written.
    static let maximumBytes = 64 << 20
    /// Deepest nesting accepted; far above the six levels a job file needs, far below the
    /// depth at which freeing the tree of nodes becomes a risk to the stack.
    static let maximumDepth = 64

    /// A reason the text was refused, at a 1-based line and column.
    struct Problem: Equatable {
        let line: Int
        let column: Int
        let message: String
    }

    /// Every problem found; empty if the text may be given to the parser.
    static func check(_ text: String) -> [Problem] {
        let size = text.utf8.count
        if size > maximumBytes {
            return [Problem(line: 1, column: 1,
                            message: "the file is \(size) bytes long; a job file may be at most \(maximumBytes) bytes (64 MiB)")]
        }
        var scanner = LineScanner()
        var problems: [Problem] = []
        var lineNumber = 0
        var text = text
        return text.withUTF8 { bytes -> [Problem] in
            // Lines split at each LF byte (a CRLF line loses its CR below); an ASCII line's
            // scalars are its bytes, so only other lines are decoded.
            var scalars: [Unicode.Scalar] = []
            var start = 0
            while start <= bytes.count {
                var end = start
                var ascii = true
                while end < bytes.count, bytes[end] != 0x0A {
                    if bytes[end] >= 0x80 { ascii = false }
                    end += 1
                }
                lineNumber += 1
                let line = UnsafeBufferPointer(rebasing: bytes[start..<end])
                scalars.removeAll(keepingCapacity: true)
                if ascii {
                    for byte in line { scalars.append(Unicode.Scalar(byte)) }
                } else {
                    scalars.append(contentsOf: String(decoding: line, as: UTF8.self).unicodeScalars)
                }
                if scalars.last == "\r" { scalars.removeLast() }
                problems += scanner.scan(scalars, line: lineNumber)
                if scanner.tooDeep { return problems }
                start = end + 1
            }
            return problems
        }
    }
}

/// The state carried from line to line while `TextGuard` scans.
private struct LineScanner {
    enum Quote { case none, single, double }

    var quote = Quote.none
    var flowDepth = 0
    /// Indentations of the open block levels, innermost last.
    var indents: [Int] = []
    /// Set while inside a block scalar (`|` or `>`): the header line's indentation and, once seen,
    /// the content's.
    var blockScalar: (parentIndent: Int, contentIndent: Int?)?
    /// Set when a line ended inside a plain scalar in block context: the indentation of the line
    /// it began on. A more indented line continues that scalar, so a `"` or `-` opening it is text.
    var plainIndent: Int?
    var tooDeep = false

    static let flowIndicators: Set<Unicode.Scalar> = [",", "[", "]", "{", "}"]

    mutating func scan(_ line: [Unicode.Scalar], line number: Int) -> [TextGuard.Problem] {
        let indent = line.prefix { $0 == " " }.count
        let blank = line.allSatisfy { $0 == " " || $0 == "\t" }
        if let scalar = blockScalar {
            if blank { return [] }
            if let content = scalar.contentIndent {
                if indent >= content { return [] }
            } else if indent > scalar.parentIndent {
                blockScalar = (scalar.parentIndent, indent)
                return []
            }
            blockScalar = nil
        }
        var continuing = false
        if quote == .none {
            if blank { return [] }
            if line[indent] == "#" { plainIndent = nil; return [] }
            while let last = indents.last, last > indent { indents.removeLast() }
            if indents.last != indent { indents.append(indent) }
            if let start = plainIndent, indent > start, flowDepth == 0 { continuing = true }
        }
        let startIndent = continuing ? plainIndent ?? indent : indent
        plainIndent = nil
        return scanTokens(line, number: number, indent: indent, continuing: continuing, startIndent: startIndent)
    }

    private mutating func scanTokens(_ line: [Unicode.Scalar], number: Int, indent: Int,
                                     continuing: Bool, startIndent: Int) -> [TextGuard.Problem] {
        var problems: [TextGuard.Problem] = []
        func problem(_ index: Int, _ message: String) {
            problems.append(.init(line: number, column: index + 1, message: message))
        }
        let count = line.count
        var index = quote == .none ? indent : 0
        var nodeStart = quote == .none && !continuing
        var leading = nodeStart
        // Whether the last thing read was plain-scalar text (so the scalar may go on next line).
        var inPlain = continuing
        var compact = 0
        var afterSpace = true
        // Where the line's first node starts; a plain scalar begun on this line continues on
        // lines indented further than this.
        var plainStart = startIndent
        func isBlank(_ at: Int) -> Bool { at >= count || line[at] == " " || line[at] == "\t" }
        func endsKey(_ at: Int) -> Bool {
            var at = at
            while at < count, line[at] == " " { at += 1 }
            guard at < count, line[at] == ":" else { return false }
            return isBlank(at + 1) || (flowDepth > 0 && Self.flowIndicators.contains(line[at + 1]))
        }
        func checkDepth(_ at: Int) -> Bool {
            if indents.count + compact + flowDepth > TextGuard.maximumDepth {
                problem(at, "nesting is deeper than \(TextGuard.maximumDepth) levels; a job file needs no more than six")
                tooDeep = true
            }
            return !tooDeep
        }
        guard checkDepth(index) else { return problems }
        while index < count {
            let c = line[index]
            switch quote {
            case .double:
                if c == "\\" { index += 2; continue }
                if c == "\"" { quote = .none; nodeStart = false; afterSpace = false }
                index += 1
                continue
            case .single:
                if c == "'" {
                    if index + 1 < count, line[index + 1] == "'" { index += 2; continue }
                    quote = .none; nodeStart = false; afterSpace = false
                }
                index += 1
                continue
            case .none:
                break
            }
            if c == " " || c == "\t" { afterSpace = true; index += 1; continue }
            if c == "#" && afterSpace { return problems }
            afterSpace = false
            inPlain = false
            if leading, c == "-" || c == "?" || c == ":", isBlank(index + 1) {
                if c == "?" { problem(index, "explicit keys (\"? \") are not supported; write keys as plain text") }
                compact += 1
                nodeStart = true
                index += 1
                guard checkDepth(index - 1) else { return problems }
                continue
            }
            if leading, !continuing { plainStart = index }
            leading = false
            if nodeStart {
                switch c {
                case "\"":
                    quote = .double; index += 1; continue
                case "'":
                    quote = .single; index += 1; continue
                case "&", "!":
                    while index < count, !isBlank(index) { index += 1 }
                    continue
                case "*":
                    let start = index
                    index += 1
                    while index < count, !isBlank(index), !Self.flowIndicators.contains(line[index]), line[index] != ":" {
                        index += 1
                    }
                    if endsKey(index) { problem(start, "an alias (*name) cannot be a key; write keys as plain text") }
                    nodeStart = false
                    continue
                case "?" where isBlank(index + 1):
                    problem(index, "explicit keys (\"? \") are not supported; write keys as plain text")
                case "|" where flowDepth == 0, ">" where flowDepth == 0:
                    let rest = line[(index + 1)...].prefix { $0 != "#" }
                    let indicator = rest.drop { $0 == "+" || $0 == "-" || ("0"..."9").contains($0) }
                    if indicator.allSatisfy({ $0 == " " || $0 == "\t" }) {
                        blockScalar = (indent, nil)
                        return problems
                    }
                default:
                    break
                }
            }
            if c == "[" || c == "{", nodeStart || flowDepth > 0 {
                flowDepth += 1
                nodeStart = true
                guard checkDepth(index) else { return problems }
            } else if c == "]" || c == "}", flowDepth > 0 {
                flowDepth -= 1
                nodeStart = false
                if endsKey(index + 1) { problem(index, "a list or mapping cannot be a key; write keys as plain text") }
            } else if c == ",", flowDepth > 0 {
                nodeStart = true
            } else if c == ":", isBlank(index + 1) || (flowDepth > 0 && index + 1 < count
                                                         && Self.flowIndicators.contains(line[index + 1])) {
                nodeStart = true
            } else {
                nodeStart = false
                inPlain = true
                index += 1
                continue
            }
            index += 1
        }
        if inPlain, quote == .none, flowDepth == 0 { plainIndent = plainStart }
        return problems
    }
}
