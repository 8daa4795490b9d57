import Testing
import Yams
@testable import GnomonJobFiles

/// A file with repeated keys is read in a fixed number of parses, however many repeats it has,
/// and every repeat is reported where it is.
@Suite("Repeated keys")
struct RepeatedKeyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        /// Calls of Yams' composer: one for a file without repeats, two with any number of them.
        let composes: Int
        /// Lines at which a repeat is reported, in order.
        let reportedLines: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no repeated key: composed once", text: "tasks:\n  a: { run: x }\n  b: { run: y }\n",
             composes: 1, reportedLines: []),
        Case(name: "one repeated task: composed twice", text: "tasks:\n  a: { run: x }\n  a: { run: y }\n",
             composes: 2, reportedLines: [3]),
        Case(name: "a thousand definitions of one task: still twice, each repeat reported",
             text: "tasks:\n" + String(repeating: "  a: { run: x }\n", count: 1000),
             composes: 2, reportedLines: Array(3...1001)),
        Case(name: "repeats in many mappings at once: twice",
             text: "timeout: 1m\ntimeout: 2m\ntasks:\n"
                + (0..<100).map { "  t\($0): { run: x, env: { A: 1, A: 2 }, run: y }\n" }.joined()
                + "tasks: {}\n",
             composes: 2, reportedLines: [2] + (3..<103).flatMap { [$0 + 1, $0 + 1] } + [104]),
        Case(name: "a repeat before a syntax error: the error is reported",
             text: "tasks:\n  a: { run: x, env: { A: 1, A: 2 } }\n  b: [\n", composes: 2, reportedLines: []),
    ]

    @Test("the number of parses does not grow with the number of repeats", arguments: cases)
    func composes(_ c: Case) {
        var calls = 0
        let composition = Composer.compose(c.text) { text in
            calls += 1
            return try Yams.compose(yaml: text, .basic)
        }
        #expect(calls == c.composes)
        #expect(composition.problems.isEmpty == (composition.root != nil))
        let reported = JobFileLoader.load(text: c.text, path: "jobs/etl.yaml").diagnostics
            .filter { $0.message.contains("is defined again") }.map(\.line)
        #expect(reported == c.reportedLines)
    }

    @Test("every repeat of a thousand is listed, with the line of the first definition")
    func everyRepeatListed() {
        let text = "tasks:\n" + String(repeating: "  a: { run: x }\n", count: 1000)
        let problems = JobFileLoader.load(text: text, path: "jobs/etl.yaml").diagnostics.map(\.description)
        #expect(problems.count == 999)
        #expect(problems.first == "jobs/etl.yaml:3:3: tasks.a: task \"a\" is defined again (first at line 2); remove or rename one")
        #expect(problems.last == "jobs/etl.yaml:1001:3: tasks.a: task \"a\" is defined again (first at line 2); remove or rename one")
    }

    @Test("the prefix of a marked key is stripped, a key without one is left alone", arguments: [
        ("\u{E000}12\u{E000}load", "load"),
        ("load", "load"),
        ("\u{E000}unterminated", "\u{E000}unterminated"),
    ])
    func unmarked(_ marked: String, _ key: String) {
        #expect(Composer.unmarked(marked) == key)
    }
}
