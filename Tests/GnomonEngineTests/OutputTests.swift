import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonTesting
import Testing

/// Outputs between tasks, with real processes and a real SQLite file: what a task appends to
/// `$GNOMON_OUTPUT` is read after its success, stored with its attempt and handed to downstream
/// tasks through references and `$GNOMON_INPUTS`.
@Suite("Task outputs")
struct OutputTests {
    @Test("outputs of a shell and a command task reach a downstream task's argv, env and GNOMON_INPUTS")
    func passedDownstream() async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("outputs", directory: home.jobs)
            .task("extract", run: """
                echo day=2026-11-01 >> "$GNOMON_OUTPUT"
                printf 'notes<<EOF\\nline one\\n  line "two"\\nEOF\\n' >> "$GNOMON_OUTPUT"
                echo "day=forged on standard output"
                """)
            .task("count", command: ["/bin/sh", "-c", "echo 'n=3 and spaces' >> \"$GNOMON_OUTPUT\""])
            .task("load", command: [
                "/bin/sh", "-c", "printf '%s|%s|%s' \"$1\" \"$NOTES\" \"$N\" > '\(home.path("out"))'; cp \"$GNOMON_INPUTS\" '\(home.path("inputs"))'",
                "sh", "--day=${{ tasks.extract.outputs.day }}",
            ], dependsOn: ["extract", "count"],
                  env: ["NOTES": "${{ tasks.extract.outputs.notes }}", "N": "n is ${{ tasks.count.outputs.n }}"])
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .succeeded, "\(finished.detail.tasks)")
        #expect(home.read("out") == "--day=2026-11-01|line one\n  line \"two\"|n is 3 and spaces",
                "standard output is never parsed: the forged day is not the one passed")
        let inputs = try JSONSerialization.jsonObject(with: Data((home.read("inputs") ?? "").utf8)) as? [String: [String: String]]
        #expect(inputs == ["extract": ["day": "2026-11-01", "notes": "line one\n  line \"two\""], "count": ["n": "3 and spaces"]])
        #expect(finished.detail.attempts(of: "extract").map(\.outputs) == [["day": "2026-11-01", "notes": "line one\n  line \"two\""]])
        #expect(finished.detail.attempts(of: "load").map(\.outputs) == [[:]], "a success without outputs has none")
        // The scratch files are gone once the attempts ended.
        let log = try #require(finished.detail.attempts(of: "load").first?.logPath)
        for path in AttemptFiles.scratch(logPath: log) { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
    }

    struct RefusedCase: Sendable, CustomTestStringConvertible {
        let name: String
        /// The shell line the task runs; it exits 0.
        let line: String
        /// What the refusal's reason holds.
        let reason: String
        var testDescription: String { name }
    }

    /// A value of `bytes` letters, written as `key=...` by the shell.
    static func big(_ key: String, _ bytes: Int) -> String {
        "printf '\(key)=' >> \"$GNOMON_OUTPUT\"; head -c \(bytes) /dev/zero | tr '\\0' a >> \"$GNOMON_OUTPUT\"; echo >> \"$GNOMON_OUTPUT\""
    }

    static let refused: [RefusedCase] = [
        RefusedCase(name: "a line that is neither key=value nor key<<DELIMITER",
                    line: "echo ok=1 >> \"$GNOMON_OUTPUT\"; echo 'just text' >> \"$GNOMON_OUTPUT\"",
                    reason: "line 2 of the output file: \"just text\" is neither key=value nor key<<DELIMITER"),
        RefusedCase(name: "a key starting with a digit", line: "echo 1day=x >> \"$GNOMON_OUTPUT\"",
                    reason: "line 1 of the output file: \"1day\" is not an output key"),
        RefusedCase(name: "a key of 65 characters", line: "echo \(String(repeating: "k", count: 65))=x >> \"$GNOMON_OUTPUT\"",
                    reason: "line 1 of the output file: \"\(String(repeating: "k", count: 65))\" is not an output key"),
        RefusedCase(name: "a value above 64 KiB", line: big("v", 65_537),
                    reason: "line 1 of the output file: the value of v has 65537 bytes, above the limit of 65536 (64 KiB)"),
        // 16 values of 64 KiB make exactly 1 MiB, within the limit: the 17th passes it.
        RefusedCase(name: "outputs above 1 MiB in all",
                    line: (1...17).map { big("v\($0)", 65_536) }.joined(separator: "; "),
                    reason: "line 17 of the output file: the outputs reach 1114112 bytes at v17, above the limit of 1048576 (1 MiB)"),
        RefusedCase(name: "a block never closed", line: "printf 'a=1\\nb<<EOF\\nx\\n' >> \"$GNOMON_OUTPUT\"",
                    reason: "line 2 of the output file: the block b<<EOF is never closed"),
        RefusedCase(name: "a file past 4 MiB", line: (1...5).map { big("v\($0)", 1_000_000) }.joined(separator: "; "),
                    reason: "line 5 of the output file: the output file passes 4194304 bytes (4 MiB) here"),
        RefusedCase(name: "a line that is not UTF-8", line: "printf 'a=1\\nb=\\377\\n' >> \"$GNOMON_OUTPUT\"",
                    reason: "line 2 of the output file: the line is not UTF-8 text"),
    ]

    @Test("a malformed line or a passed limit fails the attempt, naming the line; nothing is published", arguments: refused)
    func refusals(_ item: RefusedCase) async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("refused", directory: home.jobs)
            .task("write", run: item.line)
            .task("after", run: "true", dependsOn: ["write"])
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .failed)
        let attempt = try #require(finished.detail.attempts(of: "write").first)
        guard case .outputRefused(let reason)? = attempt.outcome else {
            Issue.record("expected the outputs refused, got \(String(describing: attempt.outcome))")
            return
        }
        #expect(reason.contains(item.reason), "\(reason)")
        #expect(attempt.outputs == nil, "a failed attempt publishes nothing")
        #expect(finished.task("write").status == .failed)
        #expect(finished.task("after").status == .skipped)
        #expect(home.read(String(attempt.logPath.dropFirst(home.root.count + 1)))?.contains("gnomon: the outputs were refused: \(reason)") == true)
    }

    @Test("a failed attempt publishes nothing; the outputs of the retry that succeeds are the ones passed on")
    func retries() async throws {
        let home = try TemporaryHome()
        // Attempt 1 writes an output and fails; attempt 2 writes a malformed file (refused);
        // attempt 3 succeeds.
        let job = JobBuilder("retries", directory: home.jobs)
            .task("flaky", run: """
                echo "try=$GNOMON_ATTEMPT" >> "$GNOMON_OUTPUT"
                [ "$GNOMON_ATTEMPT" = 2 ] && echo 'not an output' >> "$GNOMON_OUTPUT"
                [ "$GNOMON_ATTEMPT" -ge 2 ]
                """, retry: .quick(limit: 2, delay: duration("10ms")))
            .task("use", command: ["/bin/sh", "-c", "echo \"$1\" > '\(home.path("got"))'", "sh", "${{ tasks.flaky.outputs.try }}"],
                  dependsOn: ["flaky"])
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .succeeded)
        let attempts = finished.detail.attempts(of: "flaky")
        #expect(attempts.map(\.outcome?.kind) == ["exited", "output_refused", "exited"])
        #expect(attempts.map(\.outputs) == [nil, nil, ["try": "3"]])
        #expect(home.read("got") == "3\n")
    }

    struct UnresolvedCase: Sendable, CustomTestStringConvertible {
        let name: String
        let only: Set<String>?
        let reason: String
        var testDescription: String { name }
    }

    static let unresolved: [UnresolvedCase] = [
        UnresolvedCase(name: "the upstream task succeeded without writing the key", only: nil,
                       reason: "tasks.load.command[1]: ${{ tasks.extract.outputs.day }}: extract succeeded without writing day to $GNOMON_OUTPUT"),
        UnresolvedCase(name: "the upstream task was left out with --task", only: ["load"],
                       reason: "tasks.load.command[1]: ${{ tasks.extract.outputs.day }}: extract has not succeeded in this run"),
    ]

    @Test("a reference without its output: the downstream attempt could not start, saying why", arguments: unresolved)
    func missing(_ item: UnresolvedCase) async throws {
        let home = try TemporaryHome()
        let job = JobBuilder("missing", directory: home.jobs)
            .task("extract", run: "echo other=1 >> \"$GNOMON_OUTPUT\"")
            .task("load", command: ["echo", "${{ tasks.extract.outputs.day }}"], dependsOn: ["extract"])
            .build()
        let finished = try await runToEnd(job, in: home, only: item.only)
        let attempt = try #require(finished.detail.attempts(of: "load").first)
        guard case .couldNotStart(let reason)? = attempt.outcome else {
            Issue.record("expected could not start, got \(String(describing: attempt.outcome))")
            return
        }
        #expect(reason.hasPrefix(item.reason), "\(reason)")
        #expect(home.read(String(attempt.logPath.dropFirst(home.root.count + 1)))?.hasPrefix("gnomon: could not start: \(item.reason)") == true)
        #expect(finished.task("load").status == .failed)
    }

    @Test("a retried run resolves references to the outputs its earlier execution stored")
    func continuedRun() async throws {
        let home = try TemporaryHome()
        let marker = home.path("fail-once")
        FileManager.default.createFile(atPath: marker, contents: Data())
        let job = JobBuilder("continued", directory: home.jobs)
            .task("extract", run: "echo \"day=$GNOMON_ATTEMPT-$GNOMON_RUN_ID\" >> \"$GNOMON_OUTPUT\"")
            .task("load", command: ["/bin/sh", "-c", "if [ -e '\(marker)' ]; then rm '\(marker)'; exit 1; fi; echo \"$1\" > '\(home.path("got"))'",
                                    "sh", "${{ tasks.extract.outputs.day }}"], dependsOn: ["extract"])
            .build()
        let engine = try home.engine()
        let first = try await runToEnd(job, in: home, engine: engine)
        #expect(first.status == .failed)
        let retried = try engine.prepareRetry(of: first.id)
        let second = try await execute(retried, engine: engine)
        #expect(second.status == .succeeded)
        #expect(second.detail.attempts(of: "extract").count == 1, "extract succeeded before and is not run again")
        #expect(home.read("got") == "1-\(first.id)\n")
    }

    struct InputsCase: Sendable, CustomTestStringConvertible {
        let name: String
        /// What each upstream task (`a`, `b`) appends to its output file; nil for nothing.
        let outputs: [String: String?]
        /// What `GNOMON_INPUTS` holds for the downstream task.
        let inputs: [String: [String: String]]
        /// Whether it names the run's one empty inputs file rather than a file of its own.
        let runWide: Bool
        var testDescription: String { name }
    }

    static let inputsCases: [InputsCase] = [
        InputsCase(name: "no upstream task published: the run's empty inputs file",
                   outputs: ["a": nil, "b": nil], inputs: [:], runWide: true),
        InputsCase(name: "one upstream task published: only it is in the attempt's own file",
                   outputs: ["a": "k=v", "b": nil], inputs: ["a": ["k": "v"]], runWide: false),
        InputsCase(name: "both published: both are in the attempt's own file",
                   outputs: ["a": "k=v", "b": "n=1"], inputs: ["a": ["k": "v"], "b": ["n": "1"]], runWide: false),
    ]

    @Test("GNOMON_INPUTS holds the upstream tasks that published outputs, or names the run's empty inputs file",
          arguments: inputsCases)
    func inputsFile(_ testCase: InputsCase) async throws {
        let home = try TemporaryHome()
        var builder = JobBuilder("inputs", directory: home.jobs)
        for name in ["a", "b"] {
            let line = testCase.outputs[name].flatMap { $0 }.map { "echo '\($0)' >> \"$GNOMON_OUTPUT\"" } ?? "true"
            builder = builder.task(name, run: line)
        }
        let job = builder
            .task("c", run: "echo \"$GNOMON_INPUTS\" > '\(home.path("named"))'; cp \"$GNOMON_INPUTS\" '\(home.path("inputs"))'",
                  dependsOn: ["a", "b"])
            .task("d", run: "echo \"$GNOMON_INPUTS\" > '\(home.path("named-d"))'", dependsOn: ["a"], after: ["b"])
            .build()
        let finished = try await runToEnd(job, in: home)
        #expect(finished.status == .succeeded, "\(finished.detail.tasks)")
        let inputs = try JSONSerialization.jsonObject(with: Data((home.read("inputs") ?? "").utf8)) as? [String: [String: String]]
        #expect(inputs == testCase.inputs)
        let log = try #require(finished.detail.attempts(of: "c").first?.logPath)
        let named = (home.read("named") ?? "").trimmingCharacters(in: .newlines)
        let emptyInputs = AttemptFiles.emptyInputsPath(logPath: log)
        #expect(named == (testCase.runWide ? emptyInputs : AttemptFiles.inputsPath(logPath: log)))
        // The run's empty inputs file stays with its logs; an attempt's own file is scratch.
        #expect(FileManager.default.fileExists(atPath: emptyInputs) == testCase.runWide)
        if testCase.runWide {
            #expect(home.read("named-d")?.trimmingCharacters(in: .newlines) == emptyInputs, "one file for the whole run")
            #expect(try String(contentsOfFile: emptyInputs, encoding: .utf8) == "{}\n")
        }
        for path in AttemptFiles.scratch(logPath: log) { #expect(!FileManager.default.fileExists(atPath: path), "\(path)") }
    }
}
