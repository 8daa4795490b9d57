import ArgumentParser
import GnomonCore

/// Parsing of option values shared by several commands.
enum CLIValues {
    /// `KEY=VALUE` pairs; keys are letters, digits, `_` and `-`.
    static func params(_ pairs: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for pair in pairs {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex else {
                throw ValidationError("--param \"\(pair)\" must be KEY=VALUE")
            }
            let key = String(pair[..<equals])
            guard key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else {
                throw ValidationError("--param key \"\(key)\" may hold only letters, digits, _ and -")
            }
            result[key] = String(pair[pair.index(after: equals)...])
        }
        return result
    }

    static func duration(_ text: String, option: String) throws -> Duration {
        switch DurationText.parse(text) {
        case .success(let value): return value
        case .failure(let problem): throw ValidationError("\(option): \(problem)")
        }
    }
}
