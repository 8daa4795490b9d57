import GnomonCore
import Testing

struct OutputFileTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var outputs: [String: String]? = nil
        var problem: String? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "key=value lines", text: "day=2026-11-26\ncount=3\n", outputs: ["day": "2026-11-26", "count": "3"]),
        Case(name: "a value with = and spaces kept whole", text: "query=a = b \n", outputs: ["query": "a = b "]),
        Case(name: "an empty value", text: "empty=\n", outputs: ["empty": ""]),
        Case(name: "a multi-line block", text: "report<<EOF\nline one\n\nline three\nEOF\nafter=1\n",
             outputs: ["report": "line one\n\nline three", "after": "1"]),
        Case(name: "a block whose body holds =", text: "json<<END\n{\"a\": \"b=c\"}\nEND\n", outputs: ["json": "{\"a\": \"b=c\"}"]),
        Case(name: "the last write of a key wins", text: "n=1\nn=2\n", outputs: ["n": "2"]),
        Case(name: "CRLF line ends", text: "a=1\r\nb<<X\r\nv\r\nX\r\n", outputs: ["a": "1", "b": "v"]),
        Case(name: "blank lines ignored", text: "\n\na=1\n\n", outputs: ["a": "1"]),
        Case(name: "no newline at the end", text: "a=1", outputs: ["a": "1"]),
        Case(name: "an empty file", text: "", outputs: [:]),
        Case(name: "a line without = or <<", text: "a=1\njust text\n", problem: "line 2 of the output file: \"just text\" is neither"),
        Case(name: "a key starting with a digit", text: "1a=x\n", problem: "line 1 of the output file: \"1a\" is not an output key"),
        Case(name: "a key with a dash", text: "a-b=x\n", problem: "\"a-b\" is not an output key"),
        Case(name: "a key of 65 characters", text: String(repeating: "k", count: 65) + "=x\n", problem: "at most 64 characters"),
        Case(name: "an unclosed block", text: "a=1\nlog<<EOF\nmore\n", problem: "line 2 of the output file: the block log<<EOF is never closed"),
        Case(name: "a block without a delimiter", text: "log<<\n", problem: "needs a delimiter"),
        Case(name: "a value above 64 KiB", text: "big=" + String(repeating: "x", count: 65537) + "\n", problem: "65537 bytes, above the limit of 65536"),
        Case(name: "values above 1 MiB together", text: (0..<17).map { "k\($0)=" + String(repeating: "x", count: 65536) }.joined(separator: "\n"),
             problem: "line 17 of the output file: the outputs reach 1114112 bytes at k16, above the limit of 1048576"),
        Case(name: "no key before =", text: "=x\n", problem: "an output needs a key"),
    ]

    @Test(arguments: cases)
    func parses(_ item: Case) {
        switch OutputFile.parse(item.text) {
        case .success(let pairs):
            #expect(item.problem == nil, "expected a problem: \(item.problem ?? "")")
            #expect(Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 }) == item.outputs)
        case .failure(let problem):
            #expect(item.problem.map { problem.description.contains($0) } == true, "\(problem)")
        }
    }
}
