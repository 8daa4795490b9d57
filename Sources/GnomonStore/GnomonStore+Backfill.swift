import Foundation
import GnomonCore
import GRDB

extension GnomonStore {
    /// The scheduled times, from `first` through `last`, at which `job` has a succeeded run of any
    /// trigger: the fire times a backfill leaves out unless asked to run them again.
    public func succeededScheduledTimes(job: String, from first: Date, through last: Date) throws -> Set<Date> {
        try read("read the succeeded runs of \(job)") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT scheduled_at FROM runs
                WHERE job = ? AND status = 'succeeded' AND scheduled_at >= ? AND scheduled_at <= ?
                """)
            var times: Set<Date> = []
            for row in try Row.fetchAll(statement, arguments: [job, StoreDate.databaseText(first), StoreDate.databaseText(last)]) {
                let r = StoredRow(row: row, table: "runs", columns: ["scheduled_at"], location: location)
                times.insert(try r.date(0))
            }
            return times
        }
    }
}
