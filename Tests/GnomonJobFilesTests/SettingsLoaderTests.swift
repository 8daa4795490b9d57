import GnomonCore
import GnomonJobFiles
import Testing

/// The settings file (`gnomon.yaml`): the exact model of a valid file, and each kind of problem
/// with its pinned message, line and column.
@Suite("Settings file")
struct SettingsLoaderTests {
    static let path = "/srv/gnomon/gnomon.yaml"

    static func load(_ yaml: String) -> SettingsFileResult {
        SettingsFileLoader.load(text: yaml, path: path)
    }

    @Test("a file with every channel kind gives the exact settings")
    func everyKind() {
        let result = Self.load("""
            # gnomon.yaml
            channels:
              ops-chat:  { webhook: { url: "https://chat.example/hooks/T0", secret_env: HOOK_SECRET } }
              signed:
                webhook:
                  url: http://127.0.0.1:8080/hook
                  secret_file: secrets/hook.key
                  headers: { X-Team: data, X-Empty: "" }
                  timeout: 3s
              team-mail: { email: { host: smtp.example.com, port: 587, starttls: true, user_env: SMTP_USER,
                                    password_env: SMTP_PASSWORD, from: gnomon@example.com, to: [data@example.com] } }
              plain-mail:
                email: { host: 127.0.0.1, port: 2525, starttls: false, from: g@localhost, to: [a@localhost, b@localhost], timeout: 1m }
              oncall:    { pagerduty: { url: "https://events.example/v2/enqueue", routing_key_env: PD_KEY } }
              pd-default: { pagerduty: { routing_key_file: /etc/gnomon/pd.key, timeout: 5s } }
              local:     { command: [/usr/local/bin/alert.sh] }
              local-long: { command: { argv: [notify-send, gnomon], timeout: 2s } }
            notify:                       # the default rules for every job without its own
              - to: [ops-chat]
                on: [failure, recovery]
              - to: [oncall, team-mail]
                on: [failure, timeout, recovery]
                after_consecutive_failures: 3
                repeat: 4h
              - to: [local]
                on: [late, missed, invalid]
                repeat: every_failure
            late_after: 10m
            expect_success_every: 26h
            public_url: https://gnomon.example.com/ui
            retry_alerts_for: 6h
            """)
        #expect(result.diagnostics.map(\.description) == [])
        let expected = GnomonSettings(
            channels: [
                "ops-chat": .webhook(WebhookChannel(url: "https://chat.example/hooks/T0", secret: .environment("HOOK_SECRET"))),
                "signed": .webhook(WebhookChannel(
                    url: "http://127.0.0.1:8080/hook", secret: .file("/srv/gnomon/secrets/hook.key"),
                    headers: ["X-Team": "data", "X-Empty": ""], timeout: .seconds(3))),
                "team-mail": .email(EmailChannel(
                    host: "smtp.example.com", port: 587, starttls: true, user: .environment("SMTP_USER"),
                    password: .environment("SMTP_PASSWORD"), from: "gnomon@example.com", to: ["data@example.com"],
                    timeout: .seconds(30))),
                "plain-mail": .email(EmailChannel(
                    host: "127.0.0.1", port: 2525, starttls: false, from: "g@localhost", to: ["a@localhost", "b@localhost"],
                    timeout: .seconds(60))),
                "oncall": .pagerduty(PagerDutyChannel(url: "https://events.example/v2/enqueue", routingKey: .environment("PD_KEY"))),
                "pd-default": .pagerduty(PagerDutyChannel(
                    url: "https://events.pagerduty.com/v2/enqueue", routingKey: .file("/etc/gnomon/pd.key"), timeout: .seconds(5))),
                "local": .command(CommandChannel(argv: ["/usr/local/bin/alert.sh"], timeout: .seconds(30))),
                "local-long": .command(CommandChannel(argv: ["notify-send", "gnomon"], timeout: .seconds(2))),
            ],
            notify: [
                NotifyRule(to: ["ops-chat"], on: [.failure, .recovery]),
                NotifyRule(to: ["oncall", "team-mail"], on: [.failure, .timeout, .recovery],
                           afterConsecutiveFailures: 3, repeat: .every(.seconds(4 * 3600))),
                NotifyRule(to: ["local"], on: [.late, .missed, .invalid], repeat: .everyFailure),
            ],
            lateAfter: .seconds(600), expectSuccessEvery: .seconds(26 * 3600), publicURL: "https://gnomon.example.com/ui",
            retryAlertsFor: .seconds(6 * 3600))
        #expect(result.settings == expected)
        #expect(result.channelNames == Set(expected.channels.keys))
        if case .webhook(let hook)? = result.settings.channels["ops-chat"] {
            #expect(hook.secretEnv == "HOOK_SECRET" && hook.secretFile == nil && hook.timeout == .seconds(10))
        } else {
            Issue.record("ops-chat is not a webhook")
        }
        if case .email(let mail)? = result.settings.channels["team-mail"] {
            #expect(mail.userEnv == "SMTP_USER" && mail.passwordEnv == "SMTP_PASSWORD" && mail.passwordFile == nil)
        } else {
            Issue.record("team-mail is not an email channel")
        }
    }

    struct Empty: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        var testDescription: String { name }
    }

    @Test("an empty file means empty settings", arguments: [
        Empty(name: "nothing at all", yaml: ""),
        Empty(name: "only comments", yaml: "# alerts come later\n"),
        Empty(name: "null", yaml: "~\n"),
        Empty(name: "keys with nothing", yaml: "channels:\nnotify:\n"),
    ])
    func empty(_ file: Empty) {
        let result = Self.load(file.yaml)
        #expect(result.diagnostics.map(\.description) == [])
        #expect(result.settings == GnomonSettings())
    }

    @Test("a missing file is nothing to load; a file that cannot be read is a problem")
    func missing() {
        #expect(SettingsFileLoader.loadIfPresent(path: "/nonexistent/gnomon.yaml") == nil)
        #expect(SettingsFileLoader.load(path: "/nonexistent/gnomon.yaml").diagnostics.map(\.description) == [
            "/nonexistent/gnomon.yaml:1:1: cannot read the settings file: it does not exist",
        ])
    }

    @Test("the default place is gnomon.yaml in the folder holding the jobs folder")
    func defaultPath() {
        #expect(SettingsFileFormat.defaultPath(jobsDirectory: "/srv/gnomon/jobs") == "/srv/gnomon/gnomon.yaml")
        #expect(SettingsFileFormat.defaultPath(jobsDirectory: "/srv/gnomon/jobs/") == "/srv/gnomon/gnomon.yaml")
    }

    @Test("a broken channel costs only itself: the other channels and the rules' other channels stay")
    func brokenChannel() {
        let result = Self.load("""
            channels:
              chat: { webhook: { url: "https://chat.example/hooks/T0" } }
              pager: { pagerduty: { routing_key: abc123 } }
            notify:
              - to: [chat, pager]
                on: [failure]
              - to: [pager]
                on: [recovery]
            """)
        #expect(result.diagnostics.map(\.description) == [
            "/srv/gnomon/gnomon.yaml:3:25: channels.pager.pagerduty.routing_key: secrets are never written in the settings file; say where to read it: routing_key_env: VARIABLE or routing_key_file: PATH",
        ])
        #expect(result.settings.channels == ["chat": .webhook(WebhookChannel(url: "https://chat.example/hooks/T0"))])
        #expect(result.settings.notify == [NotifyRule(to: ["chat"], on: [.failure])])
        #expect(result.channelNames == ["chat", "pager"])
    }
}
