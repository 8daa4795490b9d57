/// One place alerts go, as the settings file's `channels:` defines it: the kind and its settings.
public enum ChannelSpec: Sendable, Hashable, Codable {
    case webhook(WebhookChannel)
    case email(EmailChannel)
    case pagerduty(PagerDutyChannel)
    case command(CommandChannel)

    /// The kinds of channel, named as the settings file names them.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case webhook, email, pagerduty, command
    }

    public var kind: Kind {
        switch self {
        case .webhook: .webhook
        case .email: .email
        case .pagerduty: .pagerduty
        case .command: .command
        }
    }

    /// How long one delivery through this channel may take.
    public var timeout: Duration {
        switch self {
        case .webhook(let channel): channel.timeout
        case .email(let channel): channel.timeout
        case .pagerduty(let channel): channel.timeout
        case .command(let channel): channel.timeout
        }
    }

    // Coded as the file writes it: one key, the kind, holding the channel's settings.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Kind.self)
        guard let kind = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a channel has exactly one kind: \(Kind.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        switch kind {
        case .webhook: self = .webhook(try container.decode(WebhookChannel.self, forKey: kind))
        case .email: self = .email(try container.decode(EmailChannel.self, forKey: kind))
        case .pagerduty: self = .pagerduty(try container.decode(PagerDutyChannel.self, forKey: kind))
        case .command: self = .command(try container.decode(CommandChannel.self, forKey: kind))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Kind.self)
        switch self {
        case .webhook(let channel): try container.encode(channel, forKey: .webhook)
        case .email(let channel): try container.encode(channel, forKey: .email)
        case .pagerduty(let channel): try container.encode(channel, forKey: .pagerduty)
        case .command(let channel): try container.encode(channel, forKey: .command)
        }
    }
}

extension ChannelSpec.Kind: CodingKey {}
