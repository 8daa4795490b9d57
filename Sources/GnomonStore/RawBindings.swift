import GRDB
import GRDBSQLite

/// Binds values to a cached statement's parameters straight through SQLite's C API, in order,
/// for the statements written for every task (its events, its attempt's row, its status): GRDB's
/// `StatementArguments` boxes each value and checks the whole list first, which cost as much CPU
/// as SQLite's own work on the row.
///
/// The statement is reset and its old bindings cleared first; `statement.execute()` then runs it
/// with these bindings. Strings are copied by SQLite (`SQLITE_TRANSIENT`).
struct RawBindings {
    private let statement: Statement
    private var index: Int32 = 1

    private init(_ statement: Statement) {
        self.statement = statement
        // Resets, clears the bindings and marks the statement's arguments as set, so that
        // `execute()` runs it with the ones bound here.
        statement.setUncheckedArguments(StatementArguments())
    }

    /// Binds what `bind` adds, in order, to `statement`'s parameters and runs it.
    static func execute(_ statement: Statement, _ bind: (inout RawBindings) -> Void) throws {
        var bindings = RawBindings(statement)
        bind(&bindings)
        try statement.execute()
    }

    mutating func add(_ value: String?) {
        if var value {
            // Its bytes and length as they are (a NUL inside stays, as GRDB would bind it); never
            // a NULL pointer, which SQLite would bind as NULL rather than ''.
            value.withUTF8 { utf8 in
                if let bytes = utf8.baseAddress, !utf8.isEmpty {
                    let text = UnsafeRawPointer(bytes).assumingMemoryBound(to: CChar.self)
                    sqlite3_bind_text(statement.sqliteStatement, index, text, Int32(utf8.count), Self.transient)
                } else {
                    sqlite3_bind_text(statement.sqliteStatement, index, "", 0, Self.transient)
                }
            }
        } else {
            sqlite3_bind_null(statement.sqliteStatement, index)
        }
        index += 1
    }

    mutating func add(_ value: Int64?) {
        if let value {
            sqlite3_bind_int64(statement.sqliteStatement, index, value)
        } else {
            sqlite3_bind_null(statement.sqliteStatement, index)
        }
        index += 1
    }

    mutating func add(_ value: Int?) { add(value.map(Int64.init)) }

    mutating func add(_ value: Int32?) { add(value.map(Int64.init)) }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
