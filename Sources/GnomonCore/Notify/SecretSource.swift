/// Where a secret (an HMAC key, a password, a routing key) is read from when it is needed.
///
/// Secrets are never written in the settings file: it names an environment variable or a file.
public enum SecretSource: Sendable, Hashable, Codable {
    /// The value of this environment variable (its name).
    case environment(String)
    /// The content of this file (an absolute path; the loader resolves a relative one against the
    /// settings file's folder), without its final line break.
    case file(String)

    /// The variable's name, for `.environment`.
    public var environmentName: String? {
        if case .environment(let name) = self { return name }
        return nil
    }

    /// The file's path, for `.file`.
    public var filePath: String? {
        if case .file(let path) = self { return path }
        return nil
    }

    private enum CodingKeys: String, CodingKey {
        case env, file
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let name = try container.decodeIfPresent(String.self, forKey: .env) {
            self = .environment(name)
        } else {
            self = .file(try container.decode(String.self, forKey: .file))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .environment(let name): try container.encode(name, forKey: .env)
        case .file(let path): try container.encode(path, forKey: .file)
        }
    }
}
