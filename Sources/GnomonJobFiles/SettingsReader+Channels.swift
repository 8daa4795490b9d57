import GnomonCore

extension SettingsReader {
    /// `channels`: a mapping of names to channels. Returns the channels read without a problem,
    /// and every name defined (the broken channels' too).
    func readChannels(_ node: YAMLNode, _ path: String) -> (channels: [String: ChannelSpec], names: Set<String>) {
        guard let entries = reader.entries(node, path, expected: "a mapping of channel names to channels", noun: "channel")
        else { return ([:], []) }
        var channels: [String: ChannelSpec] = [:]
        var names: Set<String> = []
        for entry in entries {
            names.insert(entry.key)
            var valid = true
            if let problem = NameRule.problem(with: entry.key) {
                reader.report(entry.keyNode, entry.path, "channel \(problem)")
                valid = false
            }
            if let channel = readChannel(entry), valid { channels[entry.key] = channel }
        }
        return (channels, names)
    }

    private static let kindList = "webhook, email, pagerduty or command"

    /// One channel: a mapping with exactly one kind.
    private func readChannel(_ entry: NodeReader.Entry) -> ChannelSpec? {
        guard let entries = reader.entries(entry.value, entry.path, expected: "a mapping with one of \(Self.kindList)")
        else { return nil }
        reader.rejectUnknown(entries, known: SettingsFileFormat.channelKinds)
        let kinds = entries.filter { SettingsFileFormat.channelKinds.contains($0.key) }
        if kinds.isEmpty {
            if entries.isEmpty {
                reader.report(entry.value, entry.path, "a channel needs one of \(Self.kindList), for example  { webhook: { url: \"https://chat.example/hooks/T0\" } }")
            }
            return nil
        }
        if kinds.count > 1 {
            let names = kinds.map(\.key).joined(separator: " and ")
            reader.report(kinds[1].keyNode, kinds[1].path, "a channel has exactly one kind, not \(names); define one channel for each")
        }
        let read = kinds.map(readKind)
        guard kinds.count == 1, entries.count == 1 else { return nil }
        return read[0]
    }

    private func readKind(_ entry: NodeReader.Entry) -> ChannelSpec? {
        switch ChannelSpec.Kind(rawValue: entry.key) {
        case .webhook: webhook(entry).map(ChannelSpec.webhook)
        case .email: email(entry).map(ChannelSpec.email)
        case .pagerduty: pagerDuty(entry).map(ChannelSpec.pagerduty)
        case .command: command(entry).map(ChannelSpec.command)
        case nil: nil
        }
    }

    // MARK: Kinds

    private func webhook(_ entry: NodeReader.Entry) -> WebhookChannel? {
        var fields = Fields(self, entry, known: SettingsFileFormat.webhookKeys, secretBase: "secret",
                            expected: "a mapping with url: and optional secret_env, secret_file, headers and timeout")
        guard fields.readable else { return nil }
        fields.require(["url"], "a webhook channel needs url:, where to POST, for example  url: \"https://chat.example/hooks/T0\"")
        let url = fields.value("url") { self.url($0, $1, example: "https://chat.example/hooks/T0") }
        let secret = fields.secret("secret", required: false)
        let headers = fields.value("headers", self.headers) ?? [:]
        let timeout = fields.value("timeout") { reader.duration($0, $1) } ?? WebhookChannel.defaultTimeout
        guard fields.valid, let url, case .read(let secret) = secret else { return nil }
        return WebhookChannel(url: url, secret: secret, headers: headers, timeout: timeout)
    }

    private func email(_ entry: NodeReader.Entry) -> EmailChannel? {
        var fields = Fields(self, entry, known: SettingsFileFormat.emailKeys, secretBase: "password",
                            expected: "a mapping with host:, from: and to:")
        guard fields.readable else { return nil }
        fields.require(["host", "from", "to"], "an email channel needs host:, from: and to:")
        let host = fields.value("host", self.host)
        let port = fields.value("port") { reader.integer($0, $1, in: 1...65535) } ?? EmailChannel.defaultPort
        let starttls = fields.value("starttls") { reader.bool($0, $1) } ?? true
        let user = fields.secret("user", required: false)
        let password = fields.secret("password", required: false)
        let from = fields.value("from", self.address)
        let to = fields.value("to", self.recipients)
        let timeout = fields.value("timeout") { reader.duration($0, $1) } ?? EmailChannel.defaultTimeout
        if case .read(let user) = user, case .read(let password) = password, (user == nil) != (password == nil), !fields.inlineSecret {
            let (given, missing) = user == nil ? ("password", "user") : ("user", "password")
            fields.problem("a login needs both: \(given)_env or \(given)_file is given, add \(missing)_env or \(missing)_file (or remove both for no login)")
        }
        guard fields.valid, let host, let from, let to, case .read(let user) = user, case .read(let password) = password
        else { return nil }
        return EmailChannel(host: host, port: port, starttls: starttls, user: user, password: password,
                            from: from, to: to, timeout: timeout)
    }

    private func pagerDuty(_ entry: NodeReader.Entry) -> PagerDutyChannel? {
        var fields = Fields(self, entry, known: SettingsFileFormat.pagerDutyKeys, secretBase: "routing_key",
                            expected: "a mapping with routing_key_env: or routing_key_file:")
        guard fields.readable else { return nil }
        let url = fields.value("url") { self.url($0, $1, example: PagerDutyChannel.defaultURL) } ?? PagerDutyChannel.defaultURL
        let key = fields.secret("routing_key", required: true)
        let timeout = fields.value("timeout") { reader.duration($0, $1) } ?? PagerDutyChannel.defaultTimeout
        guard fields.valid, case .read(let key?) = key else { return nil }
        return PagerDutyChannel(url: url, routingKey: key, timeout: timeout)
    }

    /// `command`: the argument list, or the long form with argv and timeout.
    private func command(_ entry: NodeReader.Entry) -> CommandChannel? {
        if case .sequence = entry.value {
            return argv(entry.value, entry.path).map { CommandChannel(argv: $0) }
        }
        if case .scalar = entry.value {
            reader.typeError(entry.value, entry.path, expected: "a list of arguments, like [/usr/local/bin/alert.sh]",
                             hint: NodeReader.asListHint(entry.value))
            return nil
        }
        var fields = Fields(self, entry, known: SettingsFileFormat.commandKeys, secretBase: nil,
                            expected: "a list of arguments, or a mapping with argv: and timeout:")
        guard fields.readable else { return nil }
        fields.require(["argv"], "the long form needs argv:, the program and its arguments, like  argv: [/usr/local/bin/alert.sh]")
        let argv = fields.value("argv", self.argv)
        let timeout = fields.value("timeout") { reader.duration($0, $1) } ?? CommandChannel.defaultTimeout
        guard fields.valid, let argv else { return nil }
        return CommandChannel(argv: argv, timeout: timeout)
    }

    // MARK: Values

    private func argv(_ node: YAMLNode, _ path: String) -> [String]? {
        guard let argv = reader.textList(node, path, expected: "a list of arguments, like [/usr/local/bin/alert.sh]")
        else { return nil }
        if argv.isEmpty {
            reader.report(node, path, "must name a program to run, like [/usr/local/bin/alert.sh]")
            return nil
        }
        return argv
    }

    private func host(_ node: YAMLNode, _ path: String) -> String? {
        guard let text = reader.text(node, path, expected: "a host name or address, like smtp.example.com") else { return nil }
        if text.contains("://") || text.contains(where: { $0.isWhitespace || $0 == "/" }) {
            reader.report(node, path, "must be a host name or address, like smtp.example.com, without a scheme or a path (got \(NodeReader.describe(node)))")
            return nil
        }
        return text
    }

    private func address(_ node: YAMLNode, _ path: String) -> String? {
        guard let text = reader.text(node, path, expected: "an email address, like ops@example.com") else { return nil }
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts.contains(where: \.isEmpty) || text.contains(where: { $0.isWhitespace || $0 == "," || $0 == "<" }) {
            reader.report(node, path, "must be one email address, like ops@example.com (got \(NodeReader.describe(node)))")
            return nil
        }
        return text
    }

    private func recipients(_ node: YAMLNode, _ path: String) -> [String]? {
        guard let sequence = reader.nonEmptyList(
            node, path, expected: "a list of email addresses",
            whenEmpty: "names no recipient; list at least one address, like [ops@example.com]") else { return nil }
        var out: [String] = []
        for (index, item) in sequence.enumerated() {
            guard reader.tick(item) else { return nil }
            if let address = address(item, "\(path)[\(index)]") { out.append(address) }
        }
        return out.count == sequence.count ? out : nil
    }

    private func headers(_ node: YAMLNode, _ path: String) -> [String: String]? {
        guard let entries = reader.entries(node, path, expected: "a mapping of header names to values", noun: "header")
        else { return nil }
        var out: [String: String] = [:]
        var valid = true
        for entry in entries {
            let token = !entry.key.isEmpty && entry.key.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            }
            if !token {
                reader.report(entry.keyNode, entry.path, "\"\(NodeReader.shorten(entry.key))\" is not a header name; use letters, digits and -")
                valid = false
            }
            guard let value = reader.text(entry.value, entry.path, expected: "text", allowEmpty: true) else {
                valid = false
                continue
            }
            if value.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
                reader.report(entry.value, entry.path, "a header value must fit on one line")
                valid = false
            }
            out[entry.key] = value
        }
        return valid ? out : nil
    }

    static func variableNameProblem(_ name: String) -> String? {
        let scalars = Array(name.unicodeScalars)
        let ok = !scalars.isEmpty && scalars.enumerated().allSatisfy { index, c in
            c == "_" || ("A"..."Z").contains(c) || ("a"..."z").contains(c) || (index > 0 && ("0"..."9").contains(c))
        }
        return ok ? nil : "\"\(NodeReader.shorten(name))\" is not a variable name; use letters, digits and _, not starting with a digit"
    }
}
