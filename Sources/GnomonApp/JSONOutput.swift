import Foundation
import GnomonCore

/// The JSON that `--json` prints: stable keys, sorted, pretty, ISO 8601 dates.
public enum JSONOutput {
    /// The JSON text of `value`.
    /// - Throws: a `.failure` error naming `what` when the value cannot be written as JSON (a
    ///   number that is not finite, say): a command never prints `null` in place of its output.
    public static func string<T: Encodable>(_ value: T, what: String) throws(AppError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISOTime.utc(date))
        }
        do {
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        } catch {
            throw AppError(.failure, "could not write \(what) as JSON: \(describe(error)); the same command without --json prints it as text")
        }
    }

    /// What went wrong, with the key path of the value that could not be written.
    static func describe(_ error: any Error) -> String {
        guard case let EncodingError.invalidValue(value, context) = error else { return "\(error)" }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return "\(path.isEmpty ? "the value" : String(path.drop(while: { $0 == "." })))"
            + " holds \(value), which JSON cannot represent"
    }
}
