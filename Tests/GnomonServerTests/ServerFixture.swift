import Foundation
import GnomonTesting
import Testing

/// A served daemon over a home with a few jobs and a tokens file holding a read and an operate token.
struct ServerFixture {
    let daemon: ServedDaemon
    /// Token values by name (plus "admin").
    let tokens: [String: String]

    static let jobs: [String: String] = [
        "hello": "tasks:\n  greet: { run: \"echo hello\" }\n  wave: { run: \"echo wave\", depends_on: [greet] }\n",
        "failing": "tasks:\n  boom: { run: \"echo no; exit 3\" }\n",
        "slow": "schedule: \"@every 1h\"\ntasks:\n  nap: { run: \"sleep 60\" }\n",
        "broken": "tasks:\n  a: { run: \"true\", depends_on: [missing] }\n",
        "fan": "tasks:\n  chunk: { foreach: [a, \"b c\"], command: [echo, \"${{ item }}\"] }\n",
    ]

    static func start(extraArguments: [String] = []) async throws -> ServerFixture {
        let home = try TemporaryHome()
        for (name, yaml) in jobs { _ = try home.writeJob(name, yaml) }
        let tokens = ["viewer": String(repeating: "a1", count: 20), "operator": String(repeating: "b2", count: 20)]
        let file = try home.write(
            "# test tokens\nviewer read \(tokens["viewer"]!)\noperator operate \(tokens["operator"]!)\n", to: "tokens")
        let daemon = try await ServedDaemon.start(home, extraArguments: ["--tokens-file", file] + extraArguments)
        return ServerFixture(daemon: daemon, tokens: tokens.merging(["admin": daemon.adminToken]) { $1 })
    }

    /// No token value appears in `log`.
    func expectNoTokenIn(_ log: String) {
        for (name, value) in tokens { #expect(!log.contains(value), "the \(name) token appears in the daemon's log") }
    }
}
