import Foundation
import GnomonApp
import GnomonTesting
import Testing

/// `gnomon validate` with a settings file: its problems in the same format as job files', and
/// job files' channel names checked against it.
@Suite("validate with a settings file")
struct ValidateSettingsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// Written to ROOT/gnomon.yaml (beside the jobs folder), if any.
        var settingsFile: String?
        /// Written to ROOT/elsewhere/alerts.yaml, if any.
        var otherFile: String?
        /// `--config`, relative to ROOT.
        var config: String?
        /// `GNOMON_CONFIG`, relative to ROOT.
        var environment: String?
        let job: String
        let status: CommandExit
        /// The whole output, ROOT standing for the temporary folder.
        let text: String
        var testDescription: String { name }
    }

    static let settings = """
        channels:
          ops-chat: { webhook: { url: "https://chat.example/hooks/T0", secret_env: HOOK_SECRET } }
          oncall: { pagerduty: { routing_key_env: PD_KEY } }
        notify:
          - { to: [ops-chat], on: [failure, recovery] }
        """
    static let alerting = "notify:\n  - { to: [oncall], on: [failure] }\ntasks: { a: { run: echo hi } }\n"
    static let plain = "tasks: { a: { run: echo hi } }\n"

    static let cases: [Case] = [
        Case(name: "no settings file and no alerts: the output of old", job: plain, status: .success,
             text: "1 job file valid"),
        Case(name: "a valid settings file and a job naming its channel", settingsFile: settings, job: alerting,
             status: .success, text: "settings file valid; 1 job file valid"),
        Case(name: "a job naming a channel the settings file lacks", settingsFile: settings,
             job: "notify: [{ to: [on-call], on: [failure] }]\n" + plain, status: .failure, text: """
                ROOT/jobs/etl.yaml:1:17: notify[0].to[0]: no channel "on-call"; did you mean "oncall"?
                settings file valid; 1 of 1 job file invalid
                """),
        Case(name: "a job naming a channel with no settings file", job: alerting, status: .failure, text: """
                ROOT/jobs/etl.yaml:2:12: notify[0].to[0]: no channel "oncall"; no channels are defined: define it under channels: in the settings file (gnomon.yaml)
                1 of 1 job file invalid
                """),
        Case(name: "a broken settings file: its problems first; a job naming the broken channel has none of its own",
             settingsFile: "channels:\n  oncall: { pagerduty: { routing_key: abc } }\npublic_ur: https://g.example\n",
             job: alerting, status: .failure, text: """
                ROOT/gnomon.yaml:2:26: channels.oncall.pagerduty.routing_key: secrets are never written in the settings file; say where to read it: routing_key_env: VARIABLE or routing_key_file: PATH
                ROOT/gnomon.yaml:3:1: public_ur: unknown key "public_ur"; did you mean "public_url"?
                settings file invalid; 1 job file valid
                """),
        Case(name: "--config names the file elsewhere", settingsFile: "bogus: 1\n", otherFile: settings,
             config: "elsewhere/alerts.yaml", job: alerting, status: .success, text: "settings file valid; 1 job file valid"),
        Case(name: "GNOMON_CONFIG names the file elsewhere", otherFile: "chanels: {}\n", environment: "elsewhere/alerts.yaml",
             job: plain, status: .failure, text: """
                ROOT/elsewhere/alerts.yaml:1:1: chanels: unknown key "chanels"; did you mean "channels"?
                settings file invalid; 1 job file valid
                """),
        Case(name: "--config naming a missing file", config: "missing.yaml", job: plain, status: .notFound,
             text: "settings file ROOT/missing.yaml does not exist; fix --config or GNOMON_CONFIG, or create the file (see Docs/notifications.md)"),
    ]

    @Test("validate's output and exit status", arguments: cases)
    func validate(_ c: Case) throws {
        let home = try TemporaryHome()
        try home.writeJob("etl", c.job)
        if let text = c.settingsFile {
            try text.write(toFile: home.root + "/gnomon.yaml", atomically: true, encoding: .utf8)
        }
        if let text = c.otherFile {
            try FileManager.default.createDirectory(atPath: home.root + "/elsewhere", withIntermediateDirectories: true)
            try text.write(toFile: home.root + "/elsewhere/alerts.yaml", atomically: true, encoding: .utf8)
        }
        let settings = GlobalSettings(
            jobs: home.jobs, home: home.home, config: c.config.map { home.root + "/" + $0 },
            environment: c.environment.map { ["GNOMON_CONFIG": home.root + "/" + $0] } ?? [:])
        let status: CommandExit
        let text: String
        do {
            let report = try Validation.check(paths: [], settings: settings)
            (status, text) = (report.valid ? .success : .failure, report.text)
        } catch {
            (status, text) = (error.status, error.message)
        }
        #expect(status == c.status)
        #expect(text.replacingOccurrences(of: home.root, with: "ROOT") == c.text)
    }
}
