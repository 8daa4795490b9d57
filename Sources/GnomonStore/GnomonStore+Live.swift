import Foundation
import GnomonCore
import GRDB

/// What a live view of running work reads: the attempts still writing their logs.
extension GnomonStore {
    /// An attempt that has not ended, and where its output goes.
    public struct OpenAttempt: Sendable, Hashable {
        public var run: Int64
        public var job: String
        public var task: String
        public var number: Int
        public var logPath: String
    }

    /// The attempts that have not ended, of the runs `runs` (nil: of every unfinished run).
    public func openAttempts(runs: Set<Int64>?) throws -> [OpenAttempt] {
        let selection = Selection(table: "attempts", columns: ["run_id", "job", "task", "number", "log_path"])
        let base = """
            SELECT attempts.run_id, runs.job, attempts.task, attempts.number, attempts.log_path
            FROM runs JOIN attempts ON attempts.run_id = runs.id
            """
        return try read("read the open attempts") { db in
            var open: [OpenAttempt] = []
            let decode = { (row: Row) throws -> OpenAttempt in
                let r = selection.reader(row, self.location)
                return OpenAttempt(run: try r.required(0), job: try r.required(1), task: try r.required(2),
                                   number: try r.required(3), logPath: try r.required(4))
            }
            if let runs {
                let statement = try db.cachedStatement(sql: base + " WHERE runs.id = ? AND attempts.outcome IS NULL")
                for run in runs.sorted() { open += try fetch(statement, [run], decode) }
            } else {
                let statement = try db.cachedStatement(
                    sql: base + " WHERE runs.status IN ('queued','running') AND attempts.outcome IS NULL")
                open = try fetch(statement, [], decode)
            }
            return open
        }
    }
}
