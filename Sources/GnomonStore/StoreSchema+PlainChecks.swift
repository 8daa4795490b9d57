import GRDB

extension StoreSchema {
    /// `v8-plain-checks`: every CHECK of the form `column IN ('a','b','c', ...)` (three values or
    /// more) becomes `(column = 'a' OR column = 'b' OR ...)`, which allows and refuses the same
    /// values (a NULL passes both).
    ///
    /// SQLite checks an IN list of three or more values by building a temporary b-tree of them
    /// every time a statement runs: on a single-row insert or update about 10 µs, half the cost
    /// of writing the row (`events`, `attempts`, `run_tasks`, written for every task of every run).
    /// A CHECK cannot be altered in SQLite, and rebuilding the tables would copy every row of a
    /// long history; the text of the tables' definitions is rewritten instead (SQLite's
    /// documented procedure for changing constraints that every row already satisfies:
    /// `writable_schema` and a new schema version, inside the migration's transaction).
    static func plainChecks(_ db: Database) throws {
        let tables = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL")
        var rewritten: [(name: String, sql: String)] = []
        for table in tables {
            let sql: String = table["sql"]
            let plain = plainChecks(in: sql)
            if plain != sql { rewritten.append((table["name"], plain)) }
        }
        guard !rewritten.isEmpty else { return }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        for table in rewritten {
            try db.execute(sql: "UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = ?",
                           arguments: [table.sql, table.name])
        }
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
    }

    /// `sql` with each `name IN ('a','b','c', ...)` of three or more quoted values (no quote
    /// inside them) written as `(name = 'a' OR name = 'b' OR ...)`; everything else, `NOT IN`
    /// included, as it is.
    static func plainChecks(in sql: String) -> String {
        let list = /(?<column>[A-Za-z_][A-Za-z0-9_]*) IN \((?<values>'[^']*'(?:,\s*'[^']*'){2,})\)/
        return sql.replacing(list) { match in
            let column = match.output.column
            guard column.uppercased() != "NOT" else { return String(match.output.0) }
            let values = match.output.values.matches(of: /'[^']*'/).map { "\(column) = \($0.output)" }
            return "(" + values.joined(separator: " OR ") + ")"
        }
    }
}
