import GRDB
import Testing
@testable import GnomonStore

/// Values bound through SQLite's C API (`RawBindings`) are stored as GRDB would store them.
@Suite("Raw bindings")
struct RawBindingsTests {
    enum Value: Sendable {
        case text(String?)
        case integer(Int64?)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let value: Value
        /// `typeof(v)`, `length(v)` (characters before any NUL; -1 for NULL) and `hex(v)`.
        let stored: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "text", value: .text("run_started"), stored: "text 11 72756E5F73746172746564"),
        Case(name: "an empty string stays empty, not NULL", value: .text(""), stored: "text 0 "),
        Case(name: "no text is NULL", value: .text(nil), stored: "null -1 "),
        Case(name: "a NUL inside text is kept with what follows", value: .text("a\u{0}b"), stored: "text 1 610062"),
        Case(name: "text beyond ASCII", value: .text("été"), stored: "text 3 C3A974C3A9"),
        Case(name: "an integer", value: .integer(-42), stored: "integer 3 2D3432"),
        Case(name: "no integer is NULL", value: .integer(nil), stored: "null -1 "),
    ]

    @Test("a value is stored as bound", arguments: cases)
    func stored(_ testCase: Case) throws {
        let db = try DatabaseQueue()
        let stored = try db.write { db -> String in
            try db.execute(sql: "CREATE TABLE t (v)")
            try RawBindings.execute(try db.cachedStatement(sql: "INSERT INTO t (v) VALUES (?)")) { bindings in
                switch testCase.value {
                case .text(let text): bindings.add(text)
                case .integer(let integer): bindings.add(integer)
                }
            }
            let row = try Row.fetchOne(db, sql: "SELECT typeof(v), coalesce(length(v), -1), coalesce(hex(v), '') FROM t")!
            return "\(row[0] as String) \(row[1] as Int) \(row[2] as String)"
        }
        #expect(stored == testCase.stored)
    }

    @Test("a statement bound again forgets the earlier values")
    func rebound() throws {
        let db = try DatabaseQueue()
        let values = try db.write { db -> [String?] in
            try db.execute(sql: "CREATE TABLE t (a, b)")
            let insert = try db.cachedStatement(sql: "INSERT INTO t (a, b) VALUES (?, ?)")
            try RawBindings.execute(insert) { $0.add("x"); $0.add("y") }
            try RawBindings.execute(insert) { $0.add("z") }
            return try String?.fetchAll(db, sql: "SELECT b FROM t ORDER BY rowid")
        }
        #expect(values == ["y", nil])
    }
}
