import Foundation
import Glibc
import GnomonStore
import GnomonTesting
import Testing

/// The CLI against a remote daemon (`--server`, `GNOMON_SERVER`, `GNOMON_TOKEN`, `--token-file`):
/// the same home listed, shown and steered locally and through the API prints the same text and
/// JSON and exits with the same status.
@Suite("The CLI against a remote daemon", .serialized)
struct RemoteCLITests {
    struct Case: CustomStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        let status: Int32
        var description: String { name }
    }

    /// Commands that change nothing (or change the same thing twice): run locally, then remotely.
    static let sameOutput: [Case] = [
        Case(name: "jobs", arguments: ["jobs"], status: 0),
        Case(name: "jobs --json", arguments: ["jobs", "--json"], status: 0),
        Case(name: "runs", arguments: ["runs"], status: 0),
        Case(name: "runs --json", arguments: ["runs", "--json"], status: 0),
        Case(name: "runs of one job", arguments: ["runs", "ok"], status: 0),
        Case(name: "runs --status failed --json", arguments: ["runs", "--status", "failed", "--json"], status: 0),
        Case(name: "runs --limit 1", arguments: ["runs", "--limit", "1"], status: 0),
        Case(name: "runs --since 1d", arguments: ["runs", "--since", "1d", "--json"], status: 0),
        Case(name: "runs matching nothing", arguments: ["runs", "nosuch"], status: 0),
        Case(name: "runs --status bogus", arguments: ["runs", "--status", "bogus"], status: 2),
        Case(name: "show", arguments: ["show", "1"], status: 0),
        Case(name: "show --json", arguments: ["show", "1", "--json"], status: 0),
        Case(name: "show of a failed run", arguments: ["show", "2"], status: 0),
        Case(name: "show of an unknown run", arguments: ["show", "99"], status: 3),
        Case(name: "logs of every attempt", arguments: ["logs", "1"], status: 0),
        Case(name: "logs of one task", arguments: ["logs", "1", "a"], status: 0),
        Case(name: "logs of one attempt", arguments: ["logs", "1", "b", "--attempt", "1"], status: 0),
        Case(name: "logs of a third task", arguments: ["logs", "1", "shard-1"], status: 0),
        Case(name: "logs of an unknown task", arguments: ["logs", "1", "nope"], status: 3),
        Case(name: "logs of an unknown attempt", arguments: ["logs", "1", "a", "--attempt", "7"], status: 3),
        Case(name: "logs of an unknown run", arguments: ["logs", "99"], status: 3),
        Case(name: "ticks", arguments: ["ticks", "ok"], status: 0),
        Case(name: "ticks --json", arguments: ["ticks", "ok", "--json"], status: 0),
        Case(name: "ticks of an unknown job", arguments: ["ticks", "nosuch"], status: 3),
        Case(name: "kill of a finished run", arguments: ["kill", "1"], status: 1),
        Case(name: "kill of an unknown run", arguments: ["kill", "99"], status: 3),
        Case(name: "pause", arguments: ["pause", "ok"], status: 0),
        Case(name: "resume", arguments: ["resume", "ok"], status: 0),
        Case(name: "pause of an unknown job", arguments: ["pause", "nosuch"], status: 3),
        Case(name: "resume of an unknown job", arguments: ["resume", "nosuch"], status: 3),
        Case(name: "trigger of an unknown job", arguments: ["trigger", "nosuch"], status: 3),
        Case(name: "trigger of an unknown task", arguments: ["trigger", "ok", "--task", "nope"], status: 3),
        Case(name: "trigger of an invalid job with --task", arguments: ["trigger", "broken", "--task", "x"], status: 1),
        Case(name: "retry of a succeeded run", arguments: ["retry", "1"], status: 1),
        Case(name: "retry of an unknown run", arguments: ["retry", "99"], status: 3),
    ]

    static let jobs: [(String, String)] = [
        ("ok", """
            schedule: "0 3 * * *"
            tasks:
              a:
                run: echo hello from a
              b:
                run: printf 'b line 1\\nb line 2\\n'
                depends_on: [a]
              shard-1:
                run: echo shard
            """),
        ("bad", """
            tasks:
              fails:
                run: echo failing; exit 3
            """),
        ("broken", """
            tasks:
              x:
                run: "true"
                depends_on: [missing]
            """),
    ]

    /// A home with jobs, a served daemon and two finished runs: 1 of `ok` succeeded, 2 of `bad` failed.
    static func prepared(_ cli: CLI, daemonOptions: [String] = []) async throws -> ServedDaemon {
        for (name, text) in jobs { try cli.home.writeJob(name, text) }
        let daemon = try await ServedDaemon.start(cli.home, extraArguments: daemonOptions)
        do {
            let first = try await cli.run(["trigger", "ok", "--wait"])
            try #require(first.status == 0, "\(first)")
            let second = try await cli.run(["trigger", "bad", "--wait"])
            try #require(second.status == 1, "\(second)")
        } catch {
            daemon.terminate()
            throw error
        }
        return daemon
    }

    func served(_ daemon: ServedDaemon, token: String? = nil) -> [String: String] {
        CLI.environment.merging(["GNOMON_SERVER": daemon.url, "GNOMON_TOKEN": token ?? daemon.adminToken]) { $1 }
    }

    @Test("each command prints the same text and JSON and exits the same through the API as on the home itself")
    func sameOutputAsLocal() async throws {
        let home = try TemporaryHome()
        let cli = CLI(home: home)
        let daemon = try await Self.prepared(cli)
        defer { daemon.terminate() }
        for c in Self.sameOutput {
            let local = try await cli.run(c.arguments)
            let remote = try await cli.run(c.arguments, environment: served(daemon))
            #expect(local.status == c.status, "\(c.name), local: \(local)")
            #expect(remote.status == local.status, "\(c.name): remote \(remote)\nlocal \(local)")
            #expect(remote.stdout == local.stdout, "\(c.name): remote \(remote)\nlocal \(local)")
            if local.status != 0 && c.arguments[0] != "retry" {
                #expect(remote.stderr.contains(daemon.url) || remote.stderr == local.stderr, "\(c.name): \(remote)")
            }
        }
        await daemon.stop()
    }

    @Test("--server and --token-file on the command line work as GNOMON_SERVER and GNOMON_TOKEN")
    func options() async throws {
        let home = try TemporaryHome()
        let cli = CLI(home: home)
        let daemon = try await Self.prepared(cli)
        defer { daemon.terminate() }
        let tokenFile = try home.write(daemon.adminToken + "\n", to: "token")
        let local = try await cli.run(["show", "2", "--json"])
        let remote = try await cli.run(["show", "2", "--json", "--server", daemon.url + "/", "--token-file", tokenFile])
        #expect(remote.status == 0 && remote.stdout == local.stdout, "\(remote)")
        await daemon.stop()
    }

    @Test("trigger --task runs only those tasks, locally and through the API; --wait exits with the run's outcome")
    func triggerTasks() async throws {
        let home = try TemporaryHome()
        let cli = CLI(home: home)
        let daemon = try await Self.prepared(cli)
        defer { daemon.terminate() }
        let local = try await cli.run(["trigger", "ok", "--task", "b", "--wait"])
        let remote = try await cli.run(["trigger", "ok", "--task", "b", "--wait"], environment: served(daemon))
        #expect(local.status == 0 && local.stdout == "3\nrun 3 succeeded\n", "\(local)")
        #expect(remote.status == 0 && remote.stdout == "4\nrun 4 succeeded\n", "\(remote)")
        for id in ["3", "4"] {
            let show = try await cli.run(["show", id, "--json"])
            let run = try #require(try show.json() as? [String: Any])
            let attempts = try #require(run["attempts"] as? [[String: Any]])
            #expect(attempts.map { $0["task"] as? String } == ["b"], "run \(id): \(attempts)")
        }
        let failing = try await cli.run(["trigger", "bad", "--wait"], environment: served(daemon))
        #expect(failing.status == 1 && failing.stdout.hasPrefix("5\nrun 5 failed"), "\(failing)")
        await daemon.stop()
    }

    @Test("kill through the API stops a running run, as gnomon kill does on the home")
    func killRunning() async throws {
        let home = try TemporaryHome()
        let cli = CLI(home: home)
        try cli.home.writeJob("slow", """
            tasks:
              sleeps:
                run: sleep \(TestTiming.longSleep)
            """)
        let daemon = try await ServedDaemon.start(cli.home)
        defer { daemon.terminate() }
        for (id, environment) in [("1", CLI.environment), ("2", served(daemon))] {
            let trigger = try await cli.run(["trigger", "slow"], environment: environment)
            #expect(trigger.stdout == id + "\n", "\(trigger)")
            #expect(await eventually(within: .seconds(10), every: .milliseconds(50)) { self.hasAttempt(home, run: id) })
            let kill = try await cli.run(["kill", id], environment: environment)
            #expect(kill.status == 0 && kill.stdout == "run \(id) cancelled\n", "\(kill)")
        }
        await daemon.stop()
    }

    @Test("logs --follow through the API prints a running attempt's log to its end")
    func followLogs() async throws {
        let home = try TemporaryHome()
        let cli = CLI(home: home)
        let gate = home.path("go")
        try cli.home.writeJob("talks", """
            tasks:
              talk:
                run: echo first; while [ ! -e '\(gate)' ]; do sleep 0.05; done; echo second; echo third
            """)
        let daemon = try await ServedDaemon.start(cli.home)
        defer { daemon.terminate() }
        let trigger = try await cli.run(["trigger", "talks"], environment: served(daemon))
        #expect(trigger.stdout == "1\n", "\(trigger)")
        #expect(await eventually(within: .seconds(10), every: .milliseconds(50)) { self.hasAttempt(home, run: "1") })
        let follower = try cli.start(["logs", "1", "talk", "--follow"], name: "follow", environment: served(daemon))
        // The follower must have printed the first line before the rest is written.
        #expect(await eventually(within: .seconds(10), every: .milliseconds(20)) {
            (try? String(contentsOfFile: follower.stdoutPath, encoding: .utf8)) == "first\n"
        })
        FileManager.default.createFile(atPath: gate, contents: nil)
        let result = await follower.finish()
        #expect(result.status == 0 && result.stdout == "first\nsecond\nthird\n", "\(result)")
        await daemon.stop()
    }

    @Test("retry through the API: the daemon continues the run and the command shows its progress and exits with its outcome")
    func retryRemote() async throws {
        let home = try TemporaryHome()
        let cli = CLI(home: home)
        let daemon = try await Self.prepared(cli)
        defer { daemon.terminate() }
        let result = try await cli.run(["retry", "2"], environment: served(daemon))
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.contains("run 2 of bad started (1 task)"), "\(result)")
        #expect(result.stdout.contains("fails: attempt 2 exit 3"), "\(result)")
        #expect(result.stdout.contains("run 2 failed"), "\(result)")
        await daemon.stop()
    }

    struct Refusal: CustomStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        let environment: @Sendable (ServedDaemon) -> [String: String]
        let status: Int32
        let message: @Sendable (ServedDaemon) -> String
        var description: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "a wrong token", arguments: ["runs"],
                environment: { ["GNOMON_SERVER": $0.url, "GNOMON_TOKEN": "not-a-token"] }, status: 4,
                message: { "gnomon: \($0.url) refused the token from GNOMON_TOKEN: the bearer token is not known to this daemon" }),
        Refusal(name: "a token whose role is too low", arguments: ["pause", "ok"],
                environment: { ["GNOMON_SERVER": $0.url, "GNOMON_TOKEN": "viewer-token-0123456789abcdef-0123456789"] }, status: 4,
                message: { "gnomon: \($0.url) refused: the token \"viewer\" has the role read" }),
        Refusal(name: "an unreachable server", arguments: ["show", "1"],
                environment: { _ in ["GNOMON_SERVER": "http://127.0.0.1:1", "GNOMON_TOKEN": "x"] }, status: 4,
                message: { _ in "gnomon: could not connect to http://127.0.0.1:1" }),
        Refusal(name: "a URL that is not http", arguments: ["jobs"],
                environment: { _ in ["GNOMON_SERVER": "ftp://example", "GNOMON_TOKEN": "x"] }, status: 2,
                message: { _ in "gnomon: GNOMON_SERVER \"ftp://example\" is not a server URL" }),
        Refusal(name: "no token anywhere", arguments: ["jobs", "--home", "/nonexistent-home"],
                environment: { ["GNOMON_SERVER": $0.url] }, status: 2,
                message: { "gnomon: \($0.url) needs a token: set GNOMON_TOKEN or pass --token-file FILE" }),
        Refusal(name: "a missing token file", arguments: ["jobs", "--token-file", "/nonexistent-token"],
                environment: { ["GNOMON_SERVER": $0.url] }, status: 3,
                message: { _ in "gnomon: --token-file /nonexistent-token: no such file" }),
    ]

    @Test("refusals say what is wrong, name the server and exit with a documented status")
    func refusalsAreClear() async throws {
        let home = try TemporaryHome()
        let cli = CLI(home: home)
        let tokens = try home.write("viewer read viewer-token-0123456789abcdef-0123456789\n", to: "tokens")
        let daemon = try await Self.prepared(cli, daemonOptions: ["--tokens-file", tokens])
        defer { daemon.terminate() }
        for c in Self.refusals {
            let result = try await cli.run(c.arguments, environment: CLI.environment.merging(c.environment(daemon)) { $1 })
            #expect(result.status == c.status, "\(c.name): \(result)")
            #expect(result.stderr.hasPrefix(c.message(daemon)), "\(c.name): \(result)")
            #expect(result.stdout.isEmpty, "\(c.name): \(result)")
        }
        await daemon.stop()
    }

    /// Whether run `id` has an attempt recorded (its task started).
    private func hasAttempt(_ home: TemporaryHome, run id: String) -> Bool {
        guard let store = try? GnomonStore.open(home: home.home), let run = try? store.run(Int64(id)!) else { return false }
        return !run.attempts.isEmpty
    }
}
