import Foundation
import GnomonApp
import GnomonNotify
import GnomonTesting
import Testing

/// `gnomon notify test CHANNEL`: the settings file read, the channel's sender built from the
/// environment, one test alert sent to a real local HTTP receiver (python3's http.server).
@Suite("gnomon notify test")
struct NotifyTestTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Written to ROOT/gnomon.yaml (beside the jobs folder) if any; URL stands for the receiver's.
        var settingsFile: String? = NotifyTestTests.settings
        /// `--config`, relative to ROOT.
        var config: String?
        /// How the receiver answers; nil: no receiver.
        var receiver: HTTPReceiver.Behaviour?
        var environment = ["HOOK_SECRET": "s3cret", "PD_KEY": "pd-key"]
        var channel = "ops-chat"
        let status: CommandExit
        /// The whole output or error message, ROOT standing for the temporary folder and URL for the receiver's.
        let text: String
        var testDescription: String { name }
    }

    static let host = "test-host"

    static let settings = """
        channels:
          ops-chat: { webhook: { url: "URL/hooks/T0", secret_env: HOOK_SECRET } }
          oncall: { pagerduty: { url: "URL/v2/enqueue", routing_key_env: PD_KEY } }
        """

    /// Cases that send to a receiver.
    static let sending: [Case] = [
        Case(name: "a receiver answering 200: delivered, with its answer", receiver: .answer(status: 200, body: "ok"),
             status: .success, text: "delivered: HTTP 200"),
        Case(name: "a receiver answering 500: not delivered, exit 1", receiver: .answer(status: 500, body: "database down"),
             status: .failure, text: "channel ops-chat: not delivered: URL/hooks/T0 answered HTTP 500: database down"),
    ]

    /// Cases that stop before sending anything.
    static let refused: [Case] = [
        Case(name: "an unknown channel: exit 3 with the channels", channel: "ops-caht", status: .notFound,
             text: "no channel \"ops-caht\" in ROOT/gnomon.yaml; did you mean \"ops-chat\"? the channels are: oncall, ops-chat"),
        Case(name: "an unknown channel unlike any: exit 3 with the channels", channel: "pager", status: .notFound,
             text: "no channel \"pager\" in ROOT/gnomon.yaml; the channels are: oncall, ops-chat"),
        Case(name: "no settings file: exit 3", settingsFile: nil, status: .notFound,
             text: "no channel \"ops-chat\": there is no settings file at ROOT/gnomon.yaml, so no channels are defined; "
                + "create it with the channel under channels: (see Docs/notifications.md), or name it with --config"),
        Case(name: "--config naming a missing file: exit 3", config: "missing.yaml", status: .notFound,
             text: "settings file ROOT/missing.yaml does not exist; fix --config or GNOMON_CONFIG, or create the file (see Docs/notifications.md)"),
        Case(name: "a secret whose variable is not set: exit 4 with the message", environment: ["PD_KEY": "pd-key"], status: .environment,
             text: "channel ops-chat: the secret comes from $HOOK_SECRET, which is not set in gnomon's environment; "
                + "set it where gnomon starts (the systemd unit's Environment= or EnvironmentFile=)"),
        Case(name: "an invalid settings file: its problems, exit 1",
             settingsFile: settings + "\n  local: { command: [] }\npublic_ur: https://g.example\n", status: .failure, text: """
                the settings file ROOT/gnomon.yaml is invalid; fix these problems (`gnomon validate` lists them too):
                ROOT/gnomon.yaml:4:21: channels.local.command: must name a program to run, like [/usr/local/bin/alert.sh]
                ROOT/gnomon.yaml:5:1: public_ur: unknown key "public_ur"; did you mean "public_url"?
                """),
    ]

    @Test("sends to a real receiver", .needsReceivers, arguments: sending)
    func sends(_ c: Case) async throws {
        let home = try TemporaryHome()
        let behaviour = try #require(c.receiver)
        let receiver = try await HTTPReceiver.start(in: home.root + "/http", behaviour: behaviour)
        do {
            let outcome = try await Self.outcome(c, home: home, url: receiver.baseURL)
            #expect(outcome.status == c.status, "\(outcome.text)")
            #expect(outcome.text == c.text)
            let requests = try receiver.requests()
            try #require(requests.count == 1, "one try, whatever the answer")
            let alert = try JSONDecoder().decode(Alert.self, from: Data(requests[0].body))
            #expect(alert.type == .test)
            #expect(alert.job == "gnomon")
            #expect(alert.eventID == 0)
            #expect(alert.runID == nil)
            #expect(alert.text == "gnomon test alert from test-host (channel ops-chat)")
            #expect(requests[0].path == "/hooks/T0")
            #expect(requests[0].header("X-Gnomon-Signature") == "sha256=" + HMACSHA256.hex(key: Array("s3cret".utf8), message: requests[0].body))
        } catch {
            await receiver.stop()
            throw error
        }
        await receiver.stop()
    }

    @Test("stops before sending", arguments: refused)
    func refuses(_ c: Case) async throws {
        let home = try TemporaryHome()
        // Nothing listens at this port: a case that sent anything would fail with "connection refused".
        let outcome = try await Self.outcome(c, home: home, url: "http://127.0.0.1:\(try HTTPReceiver.closedPort())")
        #expect(outcome.status == c.status, "\(outcome.text)")
        #expect(outcome.text == c.text)
        #expect(!FileManager.default.fileExists(atPath: home.database), "a test alert is not recorded")
    }

    /// Writes the settings file and runs the command; its output or error message with ROOT and URL put back.
    static func outcome(_ c: Case, home: TemporaryHome, url: String) async throws -> (status: CommandExit, text: String) {
        if let text = c.settingsFile {
            try text.replacingOccurrences(of: "URL", with: url).write(toFile: home.root + "/gnomon.yaml", atomically: true, encoding: .utf8)
        }
        let settings = GlobalSettings(jobs: home.jobs, home: home.home, config: c.config.map { home.root + "/" + $0 }, environment: [:])
        let (status, text): (CommandExit, String)
        do {
            (status, text) = (.success, try await ChannelTest.send(channel: c.channel, settings: settings, environment: c.environment, host: host))
        } catch {
            (status, text) = (error.status, error.message)
        }
        return (status, text.replacingOccurrences(of: home.root, with: "ROOT").replacingOccurrences(of: url, with: "URL"))
    }
}
