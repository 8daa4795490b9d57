import Foundation
import GnomonCore
import GRDB

/// Reads typed values out of one database row by column position, throwing
/// `StoreError.unreadableValue` (never crashing) when a value is missing or was written by a newer
/// Gnomon. Positions, not names: GRDB's name lookup lowercases strings on every access.
struct StoredRow {
    let row: Row
    let table: String
    /// The selected columns' names, in order, for error messages.
    let columns: [String]
    let location: String

    /// The row's key, for error messages: `runs row 42`.
    var context: String {
        if columns.first == "id", !row.hasNull(atIndex: 0), let id = try? row.decode(Int64.self, atIndex: 0) {
            return "\(table) row \(id)"
        }
        if columns.first == "run_id", !row.hasNull(atIndex: 0), let run = try? row.decode(Int64.self, atIndex: 0) {
            return "run \(run)"
        }
        return "a \(table) row"
    }

    func unreadable(_ index: Int) -> StoreError {
        let value = row[index].map { "\($0)" } ?? "NULL"
        return .unreadableValue(
            location: location, table: table, column: columns[index], value: value, context: context)
    }

    func optional<T: DatabaseValueConvertible & StatementColumnConvertible>(
        _ index: Int, as type: T.Type = T.self
    ) throws -> T? {
        if row.hasNull(atIndex: index) { return nil }
        do {
            return try row.decode(T.self, atIndex: index)
        } catch {
            throw unreadable(index)
        }
    }

    func required<T: DatabaseValueConvertible & StatementColumnConvertible>(
        _ index: Int, as type: T.Type = T.self
    ) throws -> T {
        guard let value = try optional(index, as: T.self) else { throw unreadable(index) }
        return value
    }

    func date(_ index: Int) throws -> Date {
        guard let date = try optionalDate(index) else { throw unreadable(index) }
        return date
    }

    func optionalDate(_ index: Int) throws -> Date? {
        guard let text = try optional(index, as: String.self) else { return nil }
        guard let date = StoreDate.parse(text) else { throw unreadable(index) }
        return date
    }

    func stable<E: RawRepresentable>(_ index: Int, as type: E.Type = E.self) throws -> E where E.RawValue == String {
        guard let text = try optional(index, as: String.self), let value = E(rawValue: text) else {
            throw unreadable(index)
        }
        return value
    }

    func json<T: Decodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard let value = try optionalJSON(index, as: type) else { throw unreadable(index) }
        return value
    }

    /// A JSON column that may be NULL.
    func optionalJSON<T: Decodable>(_ index: Int, as type: T.Type = T.self) throws -> T? {
        guard let text = try optional(index, as: String.self) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: Data(text.utf8))
        } catch {
            throw StoreError.unreadableValue(
                location: location, table: table, column: columns[index], value: String(text.prefix(200)),
                context: "\(context): \(error)")
        }
    }
}
