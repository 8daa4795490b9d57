import GnomonCore

extension SettingsReader {
    /// The keys of one channel's settings (the mapping under its kind), read one at a time;
    /// remembers whether any of them had a problem.
    struct Fields {
        /// What reading a secret's two keys (`NAME_env`, `NAME_file`) gave.
        enum Secret {
            /// The source, or `nil` when neither key is there.
            case read(SecretSource?)
            case invalid
        }

        /// Keys that look like a secret written inline; each says where secrets go instead.
        static let inlineSecretKeys = ["secret", "password", "routing_key", "token", "api_key", "key"]

        private let settings: SettingsReader
        private let node: YAMLNode
        private let path: String
        private let kind: String
        private var entries: [String: NodeReader.Entry] = [:]
        /// Whether the node is a mapping at all.
        let readable: Bool
        /// Whether every key read so far was fine.
        private(set) var valid = true
        /// Whether a secret was written inline (already reported, so a missing source is not
        /// reported again).
        private(set) var inlineSecret = false

        init(_ settings: SettingsReader, _ entry: NodeReader.Entry, known: [String], secretBase: String?, expected: String) {
            self.settings = settings
            node = entry.value
            path = entry.path
            kind = entry.key
            guard let list = settings.reader.entries(entry.value, entry.path, expected: expected) else {
                readable = false
                return
            }
            readable = true
            var special: [String: String] = [:]
            if let secretBase {
                for key in Self.inlineSecretKeys where !known.contains(key) {
                    special[key] = "secrets are never written in the settings file; say where to read it: \(secretBase)_env: VARIABLE or \(secretBase)_file: PATH"
                }
            }
            if known.contains("user_env") {
                special["user"] = "the login is read from the environment or a file, not written here: user_env: VARIABLE or user_file: PATH"
            }
            settings.reader.rejectUnknown(list, known: known, special: special)
            inlineSecret = list.contains { special[$0.key] != nil }
            valid = list.allSatisfy { known.contains($0.key) }
            entries = Dictionary(list.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        }

        /// Reports `message` at the kind's mapping when any of `keys` is missing.
        mutating func require(_ keys: [String], _ message: String) {
            let missing = keys.filter { entries[$0] == nil }
            guard !missing.isEmpty else { return }
            problem(keys.count == 1 ? message : "\(message); add \(missing.map { "\($0):" }.joined(separator: " and "))")
        }

        /// Reports `message` at the kind's mapping.
        mutating func problem(_ message: String) {
            settings.reader.report(node, path, message)
            valid = false
        }

        /// The value of `key` as `read` gives it; `nil` when the key is absent or its value has
        /// a problem (then reported).
        mutating func value<T>(_ key: String, _ read: (YAMLNode, String) -> T?) -> T? {
            guard let entry = entries[key] else { return nil }
            let value = read(entry.value, entry.path)
            if value == nil { valid = false }
            return value
        }

        /// The secret named `base`: `base_env` (a variable's name) or `base_file` (a path, made
        /// absolute against the settings file's folder), never both.
        mutating func secret(_ base: String, required: Bool) -> Secret {
            let reader = settings.reader
            switch (entries["\(base)_env"], entries["\(base)_file"]) {
            case (_?, let file?):
                reader.report(file.keyNode, file.path, "give one of \(base)_env or \(base)_file, not both")
                valid = false
                return .invalid
            case (let env?, nil):
                guard let name = reader.text(env.value, env.path, expected: "an environment variable's name, like PD_KEY") else {
                    valid = false
                    return .invalid
                }
                if let problem = SettingsReader.variableNameProblem(name) {
                    reader.report(env.value, env.path, problem)
                    valid = false
                    return .invalid
                }
                return .read(.environment(name))
            case (nil, let file?):
                guard let file = reader.text(file.value, file.path, expected: "a file path") else {
                    valid = false
                    return .invalid
                }
                return .read(.file(PathJoin.join(settings.directory, file)))
            case (nil, nil):
                guard required else { return .read(nil) }
                if inlineSecret { return .invalid }
                let noun = base.split(separator: "_").joined(separator: " ")
                problem("a \(kind) channel needs its \(noun), read from the environment or a file: \(base)_env: VARIABLE or \(base)_file: PATH")
                return .invalid
            }
        }
    }
}
