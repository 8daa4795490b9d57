import GnomonCore

/// Option values that several commands take, parsed with usage errors (exit 2) that name the option.
public enum CommandValues {
    /// `KEY=VALUE` pairs (`--param`); keys are letters, digits, `_` and `-`.
    public static func params(_ pairs: [String]) throws(AppError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw AppError(.usage, "--param \"\(pair)\" must be KEY=VALUE")
            }
            let key = String(pair[..<equals])
            guard key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw AppError(.usage, "--param key \"\(key)\" may hold only letters, digits, _ and -")
            }
            result[key] = String(pair[pair.index(after: equals)...])
        }
        return result
    }

    /// A duration such as `10s` or `1m30s` given to `option`.
    public static func duration(_ text: String, option: String) throws(AppError) -> Duration {
        switch DurationText.parse(text) {
        case .success(let value): return value
        case .failure(let problem): throw AppError(.usage, "\(option): \(problem)")
        }
    }
}
