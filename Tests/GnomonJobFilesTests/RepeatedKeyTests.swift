import Testing
@testable import GnomonJobFiles

/// A file is parsed once, however many repeated keys it has, and every repeat is reported where
/// it is.
@Suite("Repeated keys")
struct RepeatedKeyTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        /// Lines at which a repeat is reported, in order.
        let reportedLines: [Int]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "no repeated key", text: "tasks:\n  a: { run: x }\n  b: { run: y }\n",
             reportedLines: []),
        Case(name: "one repeated task", text: "tasks:\n  a: { run: x }\n  a: { run: y }\n",
             reportedLines: [3]),
        Case(name: "a thousand definitions of one task: each of the 999 repeats reported",
             text: "tasks:\n" + String(repeating: "  a: { run: x }\n", count: 1000),
             reportedLines: Array(3...1001)),
        Case(name: "repeats in many mappings at once",
             text: "timeout: 1m\ntimeout: 2m\ntasks:\n"
                + (0..<100).map { "  t\($0): { run: x, env: { A: 1, A: 2 }, run: y }\n" }.joined()
                + "tasks: {}\n",
             reportedLines: [2] + (3..<103).flatMap { [$0 + 1, $0 + 1] } + [104]),
        Case(name: "a repeat before a syntax error: the error is reported",
             text: "tasks:\n  a: { run: x, env: { A: 1, A: 2 } }\n  b: [\n", reportedLines: []),
    ]

    @Test("the file is parsed once, however many repeats it has", arguments: cases)
    func parsedOnce(_ c: Case) {
        var calls = 0
        var composition: Composer.Composition?
        let result = JobFileLoader.load(text: c.text, path: "jobs/etl.yaml") { text in
            calls += 1
            composition = Composer.compose(text)
            return composition!
        }
        #expect(calls == 1)
        #expect(composition.map { $0.problems.isEmpty == ($0.root != nil) } == true)
        let reported = result.diagnostics.filter { $0.message.contains("is defined again") }.map(\.line)
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
}
