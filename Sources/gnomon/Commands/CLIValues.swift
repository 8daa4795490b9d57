import ArgumentParser
import GnomonApp

/// Option values shared by several commands, as ArgumentParser validation errors (exit 2 with usage).
enum CLIValues {
    static func params(_ pairs: [String]) throws -> [String: String] {
        do { return try CommandValues.params(pairs) } catch { throw ValidationError(error.message) }
    }

    static func duration(_ text: String, option: String) throws -> Duration {
        do { return try CommandValues.duration(text, option: option) } catch { throw ValidationError(error.message) }
    }
}
