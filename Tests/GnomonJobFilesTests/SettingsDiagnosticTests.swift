import GnomonJobFiles
import Testing

/// One settings file per kind of problem, each with its pinned `path:line:column: key: message`.
@Suite("Settings file diagnostics")
struct SettingsDiagnosticTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let yaml: String
        let expected: [String]
        var testDescription: String { name }
    }

    static let hook = "chat: { webhook: { url: \"https://chat.example/hooks/T0\" } }"

    static let cases: [Case] = [
        Case(name: "a YAML syntax error", yaml: "channels:\n  chat: { webhook: { url: x }\n",
             expected: ["gnomon.yaml:3:1: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 2, column 9)"]),
        Case(name: "a file that is a list", yaml: "- channels\n",
             expected: ["gnomon.yaml:1:1: must be a mapping of keys such as channels: and notify: (got a list)"]),
        Case(name: "an unknown top-level key", yaml: "chanels: {}\nretention: 30d\n", expected: [
            "gnomon.yaml:1:1: chanels: unknown key \"chanels\"; did you mean \"channels\"?",
            "gnomon.yaml:2:1: retention: unknown key \"retention\"; expected one of: channels, notify, late_after, expect_success_every, public_url, retry_alerts_for, min_free_space, keep, slurm",
        ]),
        Case(name: "a channel name against the name rule", yaml: "channels:\n  Ops Chat: { command: [/bin/true] }\n",
             expected: ["gnomon.yaml:2:3: channels.Ops Chat: channel name \"Ops Chat\" must use only a-z, 0-9, \"_\" and \"-\", starting with a letter or digit; for example \"ops-chat\""]),
        Case(name: "a channel defined twice", yaml: "channels:\n  a: { command: [x] }\n  a: { command: [y] }\n",
             expected: ["gnomon.yaml:3:3: channels.a: channel \"a\" is defined again (first at line 2); remove or rename one"]),
        Case(name: "a channel with no kind", yaml: "channels:\n  a: {}\n",
             expected: ["gnomon.yaml:2:6: channels.a: a channel needs one of webhook, email, pagerduty or command, for example  { webhook: { url: \"https://chat.example/hooks/T0\" } }"]),
        Case(name: "a misspelt kind", yaml: "channels:\n  a: { webhok: { url: \"https://x.example\" } }\n",
             expected: ["gnomon.yaml:2:8: channels.a.webhok: unknown key \"webhok\"; did you mean \"webhook\"?"]),
        Case(name: "a channel with two kinds", yaml: "channels:\n  a: { command: [x], webhook: { url: \"https://x.example\" } }\n",
             expected: ["gnomon.yaml:2:22: channels.a.webhook: a channel has exactly one kind, not command and webhook; define one channel for each"]),
        Case(name: "a channel that is text", yaml: "channels:\n  a: https://x.example\n",
             expected: ["gnomon.yaml:2:6: channels.a: must be a mapping with one of webhook, email, pagerduty or command (got \"https://x.example\")"]),
        Case(name: "a webhook without url", yaml: "channels:\n  a: { webhook: { timeout: 5s } }\n",
             expected: ["gnomon.yaml:2:17: channels.a.webhook: a webhook channel needs url:, where to POST, for example  url: \"https://chat.example/hooks/T0\""]),
        Case(name: "a webhook url that is not http", yaml: "channels:\n  a: { webhook: { url: ftp://x.example } }\n",
             expected: ["gnomon.yaml:2:24: channels.a.webhook.url: must be an http or https URL, like \"https://chat.example/hooks/T0\" (got \"ftp://x.example\")"]),
        Case(name: "a webhook secret written inline", yaml: "channels:\n  a: { webhook: { url: \"https://x.example\", secret: hunter2 } }\n",
             expected: ["gnomon.yaml:2:45: channels.a.webhook.secret: secrets are never written in the settings file; say where to read it: secret_env: VARIABLE or secret_file: PATH"]),
        Case(name: "a token written inline", yaml: "channels:\n  a: { webhook: { url: \"https://x.example\", token: abc } }\n",
             expected: ["gnomon.yaml:2:45: channels.a.webhook.token: secrets are never written in the settings file; say where to read it: secret_env: VARIABLE or secret_file: PATH"]),
        Case(name: "a secret from both env and file", yaml: "channels:\n  a: { webhook: { url: \"https://x.example\", secret_env: K, secret_file: k.txt } }\n",
             expected: ["gnomon.yaml:2:60: channels.a.webhook.secret_file: give one of secret_env or secret_file, not both"]),
        Case(name: "a secret_env that is not a variable name", yaml: "channels:\n  a: { webhook: { url: \"https://x.example\", secret_env: $HOOK } }\n",
             expected: ["gnomon.yaml:2:57: channels.a.webhook.secret_env: \"$HOOK\" is not a variable name; use letters, digits and _, not starting with a digit"]),
        Case(name: "a header on two lines", yaml: "channels:\n  a: { webhook: { url: \"https://x.example\", headers: { X-A: \"1\\n2\" } } }\n",
             expected: ["gnomon.yaml:2:61: channels.a.webhook.headers.X-A: a header value must fit on one line"]),
        Case(name: "a bad timeout", yaml: "channels:\n  a: { webhook: { url: \"https://x.example\", timeout: soon } }\n",
             expected: ["gnomon.yaml:2:54: channels.a.webhook.timeout: \"soon\" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds"]),
        Case(name: "a zero timeout", yaml: "channels:\n  a: { command: { argv: [x], timeout: 0s } }\n",
             expected: ["gnomon.yaml:2:39: channels.a.command.timeout: must be longer than 0s (got \"0s\"); remove the key for no limit"]),
        Case(name: "an email channel missing host and to", yaml: "channels:\n  m: { email: { from: g@x.example } }\n",
             expected: ["gnomon.yaml:2:15: channels.m.email: an email channel needs host:, from: and to:; add host: and to:"]),
        Case(name: "an email password written inline", yaml: """
            channels:
              m:
                email: { host: smtp.x.example, from: g@x.example, to: [a@x.example], user_env: U, password: pw }
            """, expected: [
                "gnomon.yaml:3:87: channels.m.email.password: secrets are never written in the settings file; say where to read it: password_env: VARIABLE or password_file: PATH",
            ]),
        Case(name: "an email user without a password", yaml: """
            channels:
              m:
                email: { host: smtp.x.example, from: g@x.example, to: [a@x.example], user_env: U }
            """, expected: [
                "gnomon.yaml:3:12: channels.m.email: a login needs both: user_env or user_file is given, add password_env or password_file (or remove both for no login)",
            ]),
        Case(name: "an email login written inline", yaml: """
            channels:
              m:
                email: { host: smtp.x.example, from: g@x.example, to: [a@x.example], user: me }
            """, expected: [
                "gnomon.yaml:3:74: channels.m.email.user: the login is read from the environment or a file, not written here: user_env: VARIABLE or user_file: PATH",
            ]),
        Case(name: "email addresses, port and starttls that are wrong", yaml: """
            channels:
              m:
                email:
                  host: smtp://x.example
                  port: 70000
                  starttls: yes
                  from: gnomon
                  to: []
            """, expected: [
                "gnomon.yaml:4:13: channels.m.email.host: must be a host name or address, like smtp.example.com, without a scheme or a path (got \"smtp://x.example\")",
                "gnomon.yaml:5:13: channels.m.email.port: must be at most 65535 (got 70000)",
                "gnomon.yaml:6:17: channels.m.email.starttls: must be true or false (got \"yes\")",
                "gnomon.yaml:7:13: channels.m.email.from: must be one email address, like ops@example.com (got \"gnomon\")",
                "gnomon.yaml:8:11: channels.m.email.to: names no recipient; list at least one address, like [ops@example.com]",
            ]),
        Case(name: "email to as a single address", yaml: "channels:\n  m: { email: { host: h, from: g@x.example, to: a@x.example } }\n",
             expected: ["gnomon.yaml:2:49: channels.m.email.to: must be a list of email addresses (got \"a@x.example\"); write it as a list: [a@x.example]"]),
        Case(name: "a pagerduty channel without a routing key", yaml: "channels:\n  p: { pagerduty: { url: \"https://events.example/v2/enqueue\" } }\n",
             expected: ["gnomon.yaml:2:19: channels.p.pagerduty: a pagerduty channel needs its routing key, read from the environment or a file: routing_key_env: VARIABLE or routing_key_file: PATH"]),
        Case(name: "an empty command", yaml: "channels:\n  c: { command: [] }\n",
             expected: ["gnomon.yaml:2:17: channels.c.command: must name a program to run, like [/usr/local/bin/alert.sh]"]),
        Case(name: "a command as one line", yaml: "channels:\n  c: { command: /usr/local/bin/alert.sh }\n",
             expected: ["gnomon.yaml:2:17: channels.c.command: must be a list of arguments, like [/usr/local/bin/alert.sh] (got \"/usr/local/bin/alert.sh\"); write it as a list: [/usr/local/bin/alert.sh]"]),
        Case(name: "a rule naming an unknown channel", yaml: "channels:\n  \(hook)\nnotify:\n  - { to: [chatt, pager], on: [failure] }\n", expected: [
            "gnomon.yaml:4:12: notify[0].to[0]: no channel \"chatt\"; did you mean \"chat\"?",
            "gnomon.yaml:4:19: notify[0].to[1]: no channel \"pager\"; the channels are: chat",
        ]),
        Case(name: "a rule with no channels defined at all", yaml: "notify:\n  - { to: [chat], on: [failure] }\n",
             expected: ["gnomon.yaml:2:12: notify[0].to[0]: no channel \"chat\"; no channels are defined: define it under channels: in the settings file (gnomon.yaml)"]),
        Case(name: "a rule with empty to and on", yaml: "channels:\n  \(hook)\nnotify:\n  - { to: [], on: [] }\n", expected: [
            "gnomon.yaml:4:11: notify[0].to: names no channel; name at least one, like [ops-chat], or remove the rule",
            "gnomon.yaml:4:19: notify[0].on: names no event; name at least one, like [failure, recovery], or remove the rule",
        ]),
        Case(name: "a rule without to and on", yaml: "notify:\n  - repeat: never\n", expected: [
            "gnomon.yaml:2:5: notify[0]: a rule needs to: (the channels to alert), for example  to: [ops-chat]",
            "gnomon.yaml:2:5: notify[0]: a rule needs on: (the events that alert), for example  on: [failure, recovery]",
        ]),
        Case(name: "a rule's misspelt event, key and repeat", yaml: """
            channels:
              \(hook)
            notify:
              - to: [chat]
                on: [failur, failure, failure]
                after_consecutive_failure: 3
                repeat: evry_failure
            """, expected: [
                "gnomon.yaml:5:10: notify[0].on[0]: must be one of failure, success, recovery, retry, timeout, skipped, missed, late, invalid, disk_low, disk_ok (got \"failur\"); did you mean \"failure\"?",
                "gnomon.yaml:5:27: notify[0].on[2]: event \"failure\" is named twice; remove one",
                "gnomon.yaml:6:5: notify[0].after_consecutive_failure: unknown key \"after_consecutive_failure\"; did you mean \"after_consecutive_failures\"?",
                "gnomon.yaml:7:13: notify[0].repeat: must be never, every_failure or a duration like 4h (got \"evry_failure\"); did you mean \"every_failure\"?",
            ]),
        Case(name: "a rule's bounds", yaml: """
            channels:
              \(hook)
            notify:
              - { to: [chat, chat], on: [failure], after_consecutive_failures: 0, repeat: 30s }
            """, expected: [
                "gnomon.yaml:4:18: notify[0].to[1]: channel \"chat\" is named twice; remove one",
                "gnomon.yaml:4:68: notify[0].after_consecutive_failures: must be 1 or more (got 0)",
                "gnomon.yaml:4:79: notify[0].repeat: a reminder every 30s is too often; use at least 1m, or every_failure",
            ]),
        Case(name: "a rule list written as one rule", yaml: "channels:\n  \(hook)\nnotify:\n  to: [chat]\n  on: [failure]\n",
             expected: ["gnomon.yaml:4:3: notify: must be a list of rules, each with to: and on: (got a mapping); put a \"- \" before to: to make it a list"]),
        Case(name: "to as a single name", yaml: "channels:\n  \(hook)\nnotify:\n  - { to: chat, on: failure }\n", expected: [
            "gnomon.yaml:4:11: notify[0].to: must be a list of channel names (got \"chat\"); write it as a list: [chat]",
            "gnomon.yaml:4:21: notify[0].on: must be a list of events, like [failure, recovery] (got \"failure\"); write it as a list: [failure]",
        ]),
        Case(name: "a bad time to retry alerts for", yaml: "retry_alerts_for: forever\n", expected: [
            "gnomon.yaml:1:19: retry_alerts_for: \"forever\" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds",
        ]),
        Case(name: "bad defaults for jobs", yaml: "late_after: soon\nexpect_success_every: 0s\npublic_url: gnomon.example.com\n", expected: [
            "gnomon.yaml:1:13: late_after: \"soon\" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds",
            "gnomon.yaml:2:23: expect_success_every: must be longer than 0s (got \"0s\"); remove the key for no limit",
            "gnomon.yaml:3:13: public_url: must be an http or https URL, like \"https://gnomon.example.com\" (got \"gnomon.example.com\")",
        ]),
    ]

    @Test("each problem is pinned with its place and remedy", arguments: cases)
    func pinned(_ c: Case) {
        let result = SettingsFileLoader.load(text: c.yaml, path: "gnomon.yaml")
        #expect(result.diagnostics.map(\.description) == c.expected)
    }
}
