import Foundation
import GnomonCore

/// The JSON that `--json` prints: stable keys, sorted, pretty, ISO 8601 dates.
public enum JSONOutput {
    /// The JSON text of `value`.
    /// - Throws: a `.failure` error naming `what` when the value cannot be written as JSON (a
    ///   number that is not finite, say): a command never prints `null` in place of its output.
    public static func string<T: Encodable>(_ value: T, what: String) throws(AppError) -> String {
        String(decoding: try data(value, what: what, pretty: true), as: UTF8.self)
    }

    /// The same JSON as bytes; compact unless `pretty` (the API's answers).
    public static func data<T: Encodable>(_ value: T, what: String, pretty: Bool = false) throws(AppError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(ISOTime.utc(date))
        }
        do {
            return try encoder.encode(value)
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
