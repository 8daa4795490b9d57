import Foundation
import GnomonCore

/// Turns the settings file's channels into senders, reading their secrets from the environment
/// or from files when the notifier starts (or reloads).
public enum ChannelSenders {
    /// The sender of each channel; a channel whose secret cannot be read is a problem (with the
    /// channel's name, what is missing and how to provide it) and gets no sender, and the others
    /// still work.
    public static func make(
        _ channels: [String: ChannelSpec], environment: [String: String]
    ) -> (senders: [String: any AlertSender], problems: [String]) {
        var senders: [String: any AlertSender] = [:]
        var problems: [String] = []
        for (name, spec) in channels.sorted(by: { $0.key < $1.key }) {
            switch make(name: name, spec, environment: environment) {
            case .success(let sender): senders[name] = sender
            case .failure(let problem): problems.append(problem.message)
            }
        }
        return (senders, problems)
    }

    /// Why a channel has no sender.
    public struct Problem: Error, Hashable {
        public let message: String
    }

    static func make(name: String, _ spec: ChannelSpec, environment: [String: String]) -> Result<any AlertSender, Problem> {
        do {
            func secret(_ source: SecretSource?, _ what: String) throws(Problem) -> String? {
                guard let source else { return nil }
                return try read(source, what: what, channel: name, environment: environment)
            }
            switch spec {
            case .webhook(let hook):
                let target = WebhookTarget(
                    url: hook.url, secret: try secret(hook.secret, "secret"),
                    headers: hook.headers.sorted(by: { $0.key < $1.key }).map { WebhookTarget.Header(name: $0.key, value: $0.value) },
                    timeout: hook.timeout)
                return .success(WebhookSender(target: target))
            case .email(let mail):
                let target = EmailTarget(
                    host: mail.host, port: mail.port, starttls: mail.starttls, user: try secret(mail.user, "user"),
                    password: try secret(mail.password, "password"), from: mail.from, to: mail.to, timeout: mail.timeout)
                return .success(EmailSender(target: target))
            case .pagerduty(let pager):
                guard let key = try secret(pager.routingKey, "routing key") else {
                    return .failure(Problem(message: "channel \(name): the PagerDuty routing key is missing"))
                }
                return .success(PagerDutySender(target: PagerDutyTarget(url: pager.url, routingKey: key, timeout: pager.timeout)))
            case .command(let command):
                let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
                return .success(CommandSender(target: CommandTarget(argv: command.argv, environment: ["PATH": path], timeout: command.timeout)))
            }
        } catch {
            return .failure(error)
        }
    }

    /// A secret's value: an environment variable, or a file's text without its final line break.
    static func read(_ source: SecretSource, what: String, channel: String, environment: [String: String]) throws(Problem) -> String {
        switch source {
        case .environment(let variable):
            guard let value = environment[variable], !value.isEmpty else {
                throw Problem(message: "channel \(channel): the \(what) comes from $\(variable), which is not set in gnomon's environment; "
                    + "set it where gnomon starts (the systemd unit's Environment= or EnvironmentFile=)")
            }
            return value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw Problem(message: "channel \(channel): the \(what) comes from \(path), which cannot be read; "
                    + "create it (mode 0600) or fix the path")
            }
            var value = text
            if value.hasSuffix("\n") { value.removeLast() }
            if value.hasSuffix("\r") { value.removeLast() }
            guard !value.isEmpty else {
                throw Problem(message: "channel \(channel): the \(what) file \(path) is empty")
            }
            return value
        }
    }
}
