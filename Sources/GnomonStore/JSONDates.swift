import Foundation

/// Dates in the store's JSON shapes are ISO 8601 UTC strings, whatever the encoder's date strategy.
extension KeyedEncodingContainer {
    /// Encodes `date` as an ISO 8601 string, or `null` when it is `nil` (keys are always present).
    mutating func encodeISODate(_ date: Date?, forKey key: Key) throws {
        if let date {
            try encode(StoreDate.jsonText(date), forKey: key)
        } else {
            try encodeNil(forKey: key)
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes an ISO 8601 string written by `encodeISODate`.
    func decodeISODate(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = StoreDate.parse(text) else {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: self,
                debugDescription: "expected an ISO 8601 UTC date such as 2024-05-01T12:00:00Z, got \"\(text)\"")
        }
        return date
    }

    /// Decodes an optional ISO 8601 string (missing or `null` is `nil`).
    func decodeISODateIfPresent(forKey key: Key) throws -> Date? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeISODate(forKey: key)
    }
}
