import Foundation
import GnomonJobFiles
import Testing

/// Feeds the loader damaged and hostile files: it must always answer with a job or with
/// diagnostics that have a real position, and never crash or hang.
@Suite("Loader robustness")
struct LoaderFuzzTests {
    /// A small deterministic generator (SplitMix64) so every run tries the same inputs.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let seeds: [String] = {
        let examples = ["hello", "disk-report", "backup-rotate", "container-demo"].compactMap {
            try? String(contentsOfFile: "\(Fixtures.repositoryRoot)/jobs/\($0).yaml", encoding: .utf8)
        }
        return [Fixtures.fullExample] + examples
    }()

    static let interesting: [String] = [
        ":", ": ", "-", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "!x ", "|", ">", "'", "\"",
        "#", "? ", "%", "@", "`", "\t", "\n", "\r", "\u{0}", "\u{7}", "\u{FEFF}", "é", "\u{E000}", "---\n",
        "...\n", "<<: ", "~", "null", "-1", "99999999999999999999999", "1e999", "nan", ".inf", "0x10",
    ]

    /// One random change to `text`.
    static func mutate(_ text: String, using rng: inout SeededGenerator) -> String {
        var lines = text.components(separatedBy: "\n")
        var scalars = Array(text.unicodeScalars)
        func joined(_ lines: [String]) -> String { lines.joined(separator: "\n") }
        func fromScalars(_ s: [Unicode.Scalar]) -> String { String(String.UnicodeScalarView(s)) }
        let line = Int.random(in: 0..<lines.count, using: &rng)
        switch Int.random(in: 0..<14, using: &rng) {
        case 0:
            lines.remove(at: line)
            return joined(lines)
        case 1:
            lines.insert(lines[line], at: Int.random(in: 0...lines.count, using: &rng))
            return joined(lines)
        case 2:
            lines.swapAt(line, Int.random(in: 0..<lines.count, using: &rng))
            return joined(lines)
        case 3:
            if !scalars.isEmpty { scalars.remove(at: Int.random(in: 0..<scalars.count, using: &rng)) }
            return fromScalars(scalars)
        case 4:
            let piece = interesting.randomElement(using: &rng)!
            scalars.insert(contentsOf: piece.unicodeScalars, at: Int.random(in: 0...scalars.count, using: &rng))
            return fromScalars(scalars)
        case 5:
            let count = Int.random(in: 1...20, using: &rng)
            let noise = (0..<count).map { _ in
                Unicode.Scalar(UInt32.random(in: 0...0x2FF, using: &rng)) ?? "?"
            }
            scalars.insert(contentsOf: noise, at: Int.random(in: 0...scalars.count, using: &rng))
            return fromScalars(scalars)
        case 6:
            let end = Int.random(in: line..<lines.count, using: &rng)
            lines.insert(contentsOf: lines[line...end], at: end + 1)
            return joined(lines)
        case 7:
            lines[line] = String(repeating: " ", count: Int.random(in: 1...8, using: &rng)) + lines[line]
            return joined(lines)
        case 8:
            lines[line] = String(lines[line].drop { $0 == " " })
            return joined(lines)
        case 9:
            let depth = Int.random(in: 1...1500, using: &rng)
            let opener = ["[", "{a: ", "- ", "[{x: "].randomElement(using: &rng)!
            lines[line] += " " + String(repeating: opener, count: depth)
            return joined(lines)
        case 10:
            let depth = Int.random(in: 1...300, using: &rng)
            let nested = (0..<depth).map { String(repeating: " ", count: $0) + "k\($0):" }
            lines.insert(contentsOf: nested, at: line)
            return joined(lines)
        case 11:
            let number = ["-1", "0", "256", "1000000", "99999999999999999999999", "1.5", "-0.0", "1e308"]
            lines[line] = lines[line].replacingOccurrences(of: "[0-9]+", with: number.randomElement(using: &rng)!,
                                                           options: .regularExpression)
            return joined(lines)
        case 12:
            return joined(lines) + "\n" + aliasBomb(asKey: Bool.random(using: &rng))
        default:
            lines[line] = lines[line].replacingOccurrences(of: ": ", with: ": &x" + String(line) + " ")
            lines.insert("ref\(line): *x\(line)", at: Int.random(in: 0...lines.count, using: &rng))
            return joined(lines)
        }
    }

    /// A "billion laughs" document: ten levels, each ten aliases of the one before.
    static func aliasBomb(asKey: Bool) -> String {
        var out = "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for level in 1..<10 {
            out += "l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        return out + (asKey ? "tasks: { *l9 : { run: x } }\n" : "tasks: { a: { run: x, env: *l9, command: *l9 } }\n")
    }

    static func checkAnswer(_ result: JobFileResult, for text: String) {
        let lineCount = text.components(separatedBy: "\n").count
        switch result {
        case .loaded(let job):
            let spec = job.spec
            #expect(!spec.tasks.isEmpty)
        case .failed(let diagnostics):
            #expect(!diagnostics.isEmpty)
            for diagnostic in diagnostics {
                #expect(diagnostic.line >= 1 && diagnostic.line <= lineCount + 1, "\(diagnostic)")
                #expect(diagnostic.column >= 1, "\(diagnostic)")
                #expect(!diagnostic.message.isEmpty)
            }
        }
    }

    @Test("thousands of random mutations of valid files never crash the loader")
    func randomMutations() {
        var rng = SeededGenerator(state: 20_261_126)
        var loaded = 0
        var failed = 0
        for _ in 0..<3000 {
            var text = Self.seeds.randomElement(using: &rng)!
            for _ in 0..<Int.random(in: 1...4, using: &rng) { text = Self.mutate(text, using: &rng) }
            let result = JobFileLoader.load(text: text, path: "jobs/fuzz.yaml")
            Self.checkAnswer(result, for: text)
            if result.spec != nil { loaded += 1 } else { failed += 1 }
        }
        // Both outcomes must occur, or the mutations are not exercising the loader.
        #expect(loaded > 100)
        #expect(failed > 1000)
    }

    struct Hostile: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        /// Part of a message the file must get; `nil` where any refusal will do.
        var expected: String?
        var testDescription: String { name }
    }

    static let deep = "nesting is deeper than 64 levels"

    static let hostile: [Hostile] = [
        Hostile(name: "an alias bomb as a value", text: aliasBomb(asKey: false), expected: "unknown key \"l0\""),
        Hostile(name: "an alias bomb as a key", text: aliasBomb(asKey: true), expected: "an alias (*name) cannot be a key"),
        Hostile(name: "100,000 nested flow lists", text: "tasks: " + String(repeating: "[", count: 100_000), expected: deep),
        Hostile(name: "100,000 nested flow mappings", text: "tasks: " + String(repeating: "{a: ", count: 100_000), expected: deep),
        Hostile(name: "10,000 nested block sequences", text: String(repeating: "- ", count: 10_000) + "x", expected: deep),
        Hostile(name: "1,000 nested block mappings",
                text: (0..<1000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n"), expected: deep),
        Hostile(name: "a file over 64 MiB", text: "description: " + String(repeating: "x", count: 64 << 20),
                expected: "a job file may be at most 67108864 bytes"),
        Hostile(name: "random bytes", text: {
            var rng = SeededGenerator(state: 7)
            return String(String.UnicodeScalarView((0..<5000).map { _ in
                Unicode.Scalar(UInt32.random(in: 0...0xFFFF, using: &rng)) ?? "x"
            }))
        }()),
        Hostile(name: "a thousand repeated keys", text: "tasks:\n" + String(repeating: "  a: { run: x }\n", count: 1000),
                expected: "task \"a\" is defined again (first at line 2)"),
        Hostile(name: "aliases that expand past the node budget", text: {
            let env = (0..<1000).map { "A\($0): x" }.joined(separator: ", ")
            return "x: &e { \(env) }\ntasks:\n" + (0..<1000).map { "  t\($0): { run: x, env: *e }" }.joined(separator: "\n")
        }(), expected: "expands to more than 100000 values"),
        Hostile(name: "a huge number everywhere", text: """
            concurrency: 1\(String(repeating: "9", count: 400))
            timeout: 9\(String(repeating: "9", count: 400))s
            tasks: { a: { run: x, retry: { limit: 1e400, backoff: 1\(String(repeating: "0", count: 400)), jitter: -0 } } }
            """, expected: "must be at most 1000 (got 1999999999999999999999999999999999999999...)"),
    ]

    @Test("hostile files are refused quickly with positions", arguments: hostile)
    func hostileFiles(_ hostile: Hostile) {
        let start = ContinuousClock.now
        let result = JobFileLoader.load(text: hostile.text, path: "jobs/hostile.yaml")
        let elapsed = ContinuousClock.now - start
        #expect(result.spec == nil)
        Self.checkAnswer(result, for: hostile.text)
        #expect(elapsed < .seconds(10), "took \(elapsed)")
        if let expected = hostile.expected {
            #expect(result.diagnostics.contains { $0.message.contains(expected) }, "\(result.diagnostics.prefix(3))")
        }
    }
}
