/// The outputs a task wrote to the file named by `GNOMON_OUTPUT`: `key=value` lines and
/// multi-line `key<<DELIMITER` … `DELIMITER` blocks, as GitHub Actions' `$GITHUB_OUTPUT`.
///
/// Read only after a successful attempt; a malformed line or a limit passed fails the attempt
/// with a message naming the line. A key written twice keeps its last value.
public enum OutputFile {
    /// The most bytes of one value (64 KiB).
    public static let maxValueBytes = 64 * 1024
    /// The most bytes of every value of one task together (1 MiB).
    public static let maxTotalBytes = 1024 * 1024
    /// The most characters of a key; keys match `[A-Za-z_][A-Za-z0-9_]{0,63}`.
    public static let maxKeyLength = 64

    /// Why an output file was refused: the line (from 1) and what is wrong with it.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String

        public init(line: Int, message: String) {
            self.line = line
            self.message = message
        }

        public var description: String { "line \(line) of the output file: \(message)" }
    }

    /// The outputs in `text`, in the order their keys first appeared, or the first problem.
    public static func parse(_ text: String) -> Result<[(key: String, value: String)], Problem> {
        var values: [String: String] = [:]
        var order: [String] = []
        var total = 0
        // "\r\n" is one Character in Swift: split on both line ends.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })[...]
        if lines.last == "" { lines = lines.dropLast() }
        var number = 0
        func store(_ key: String, _ value: String, line: Int) -> Problem? {
            let bytes = value.utf8.count
            if bytes > maxValueBytes {
                return Problem(line: line, message: "the value of \(key) has \(bytes) bytes, above the limit of \(maxValueBytes) (64 KiB); write large data to a file and pass its path")
            }
            total += bytes - (values[key]?.utf8.count ?? 0)
            if total > maxTotalBytes {
                return Problem(line: line, message: "the outputs reach \(total) bytes at \(key), above the limit of \(maxTotalBytes) (1 MiB) per task; write large data to a file and pass its path")
            }
            if values[key] == nil { order.append(key) }
            values[key] = value
            return nil
        }
        while let first = lines.first {
            lines = lines.dropFirst()
            number += 1
            let line = first.hasSuffix("\r") ? first.dropLast() : first
            if line.isEmpty { continue }
            if let marker = line.range(of: "<<"), !line[..<marker.lowerBound].contains("=") {
                let key = String(line[..<marker.lowerBound])
                let delimiter = String(line[marker.upperBound...])
                if let problem = keyProblem(key) { return .failure(Problem(line: number, message: problem)) }
                guard !delimiter.isEmpty, !delimiter.contains(where: \.isWhitespace) else {
                    return .failure(Problem(line: number, message: "\(key)<< needs a delimiter without spaces after <<, such as \(key)<<EOF"))
                }
                let start = number
                var body: [Substring] = []
                var closed = false
                while let next = lines.first {
                    lines = lines.dropFirst()
                    number += 1
                    let content = next.hasSuffix("\r") ? next.dropLast() : next
                    if content == delimiter {
                        closed = true
                        break
                    }
                    body.append(content)
                }
                guard closed else {
                    return .failure(Problem(line: start, message: "the block \(key)<<\(delimiter) is never closed by a line holding only \(delimiter)"))
                }
                if let problem = store(key, body.joined(separator: "\n"), line: start) { return .failure(problem) }
            } else if let equals = line.firstIndex(of: "=") {
                let key = String(line[..<equals])
                if let problem = keyProblem(key) { return .failure(Problem(line: number, message: problem)) }
                if let problem = store(key, String(line[line.index(after: equals)...]), line: number) { return .failure(problem) }
            } else {
                return .failure(Problem(line: number, message: "\"\(line.prefix(40))\" is neither key=value nor key<<DELIMITER"))
            }
        }
        return .success(order.map { ($0, values[$0]!) })
    }

    /// What is wrong with `key` as an output name, or nil.
    public static func keyProblem(_ key: String) -> String? {
        guard let first = key.unicodeScalars.first else { return "an output needs a key before = or <<" }
        let isStart = { (c: Unicode.Scalar) in (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || c == "_" }
        let isRest = { (c: Unicode.Scalar) in isStart(c) || (c >= "0" && c <= "9") }
        guard isStart(first), key.unicodeScalars.allSatisfy(isRest), key.unicodeScalars.count <= maxKeyLength else {
            return "\"\(key.prefix(80))\" is not an output key: use letters, digits and _ (not first a digit), at most \(maxKeyLength) characters"
        }
        return nil
    }
}
