import Foundation
import GnomonExecution
import GnomonTesting
import Testing

/// Where a task's process stands: a process group of its own, in the runner's session (a session
/// of its own would make it a scheduler autogroup of its own), and never with a controlling
/// terminal, also when `gnomon run` has one.
@Suite("a task's process group and terminal")
struct TaskProcessGroupTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        /// Run `gnomon run` on a terminal of its own (a pseudo-terminal made by `script`).
        let onTerminal: Bool
        var testDescription: String { name }
    }

    /// The fields of /proc/PID/stat that matter here.
    struct Stat: Equatable {
        var pid: Int, pgrp: Int, session: Int, tty: Int

        /// Parses a line of /proc/PID/stat: pid (comm) state ppid pgrp session tty_nr ...
        init?(_ line: Substring) {
            guard let close = line.lastIndex(of: ")"), let pid = Int(line.prefix { $0 != " " }) else { return nil }
            let fields = line[line.index(after: close)...].split(separator: " ")
            guard fields.count > 4, let pgrp = Int(fields[2]), let session = Int(fields[3]), let tty = Int(fields[4]) else { return nil }
            (self.pid, self.pgrp, self.session, self.tty) = (pid, pgrp, session, tty)
        }
    }

    @Test("a task leads its own process group in gnomon's session and has no controlling terminal", arguments: [
        Case(name: "gnomon run without a terminal", onTerminal: false),
        Case(name: "gnomon run on a terminal", onTerminal: true),
    ])
    func groupAndTerminal(_ test: Case) async throws {
        let home = try TemporaryHome()
        let out = home.path("probe.txt")
        // The task's shell writes its own stat line, its parent's (gnomon's), and whether
        // /dev/tty can be opened.
        try home.writeJob("probe", """
            tasks:
              probe:
                run: |
                  read -r self < /proc/$$/stat; echo "$self" > '\(out)'
                  read -r parent < /proc/$PPID/stat; echo "$parent" >> '\(out)'
                  if (exec 3</dev/tty) 2>/dev/null; then echo tty >> '\(out)'; else echo no-tty >> '\(out)'; fi
            """)
        let cli = CLI(home: home)
        let result: CLI.Result
        if test.onTerminal {
            let command = ([try GnomonBinary.require()] + cli.arguments(["run", "probe"], global: true)).map { "'\($0)'" }.joined(separator: " ")
            let output = try await ProcessSpawner.shared.runCapturingOutput(
                ["/usr/bin/script", "-q", "-e", "-c", command, "/dev/null"], environment: CLI.environment,
                workingDirectory: home.root, killGrace: .seconds(2))
            result = CLI.Result(status: output.status.shellCode, stdout: output.outputText, stderr: output.errorText)
        } else {
            result = try await cli.run(["run", "probe"])
        }
        #expect(result.status == 0, "\(result)")
        let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        try #require(lines.count == 3, "\(lines)")
        let task = try #require(Stat(lines[0])), gnomon = try #require(Stat(lines[1]))
        #expect(task.pgrp == task.pid, "the task leads a process group of its own")
        #expect(task.session == gnomon.session, "in gnomon's session, so in its scheduler autogroup")
        #expect(task.session != task.pid)
        #expect((gnomon.tty != 0) == test.onTerminal, "gnomon itself has the terminal when it was given one")
        #expect(task.tty == 0, "the task has no controlling terminal")
        #expect(lines[2] == "no-tty")
    }
}
