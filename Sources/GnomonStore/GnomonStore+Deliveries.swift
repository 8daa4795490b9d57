import Foundation
import GnomonCore
import GRDB

/// Alerts: queued from the event record, claimed by one process at a time, tried until
/// delivered or given up.
extension GnomonStore {
    /// Where `reader` stands in the event record (0 before it has read anything).
    public func eventCursor(_ reader: String) throws -> Int64 {
        try read("read where \(reader) stands in the event record") { db in
            let statement = try db.cachedStatement(sql: "SELECT event_id FROM event_cursors WHERE reader = ?")
            return try Int64.fetchOne(statement, arguments: [reader]) ?? 0
        }
    }

    /// Queues `deliveries` (one already queued for the same event, channel and kind is kept as it
    /// is) and, in the same transaction, saves what the notifier now remembers of each job in
    /// `memories` and moves `reader` to `eventID`: a crash before it leaves the events to be read
    /// again, after it leaves the deliveries queued.
    /// - Returns: how many were newly queued.
    @discardableResult
    public func queue(
        _ deliveries: [NewDelivery], memories: [String: AlertMemory] = [:], advancing reader: String? = nil,
        to eventID: Int64 = 0, at: Date
    ) throws -> Int {
        let encoded = try memories.mapValues { try encodeJSON($0, what: "what the notifier remembers of a job") }
        return try write("queue \(deliveries.count) alert(s)") { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO deliveries (event_id, channel, kind, job, run_id, payload, queued_at, next_try_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (event_id, channel, kind) DO NOTHING
                """)
            let now = StoreDate.databaseText(at)
            var added = 0
            for delivery in deliveries {
                try insert.execute(arguments: [
                    delivery.eventID, delivery.channel, delivery.kind, delivery.job, delivery.runID, delivery.payload, now, now,
                ])
                added += db.changesCount
            }
            let remember = try db.cachedStatement(sql: """
                INSERT INTO alert_memory (job, memory, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (job) DO UPDATE SET memory = excluded.memory, updated_at = excluded.updated_at
                """)
            for (job, memory) in encoded { try remember.execute(arguments: [job, memory, now]) }
            if let reader {
                let cursor = try db.cachedStatement(sql: """
                    INSERT INTO event_cursors (reader, event_id, updated_at) VALUES (?, ?, ?)
                    ON CONFLICT (reader) DO UPDATE SET event_id = max(event_id, excluded.event_id), updated_at = excluded.updated_at
                    """)
                try cursor.execute(arguments: [reader, eventID, now])
            }
            return added
        }
    }

    /// Claims up to `limit` deliveries due at `now` that no other process holds, for `holder`,
    /// until `now + lease`; oldest due first; of run `run` only when given.
    public func claimDueDeliveries(at now: Date, holder: String, lease: Duration, limit: Int, run: Int64? = nil) throws -> [Delivery] {
        let nowText = StoreDate.databaseText(now)
        let until = StoreDate.databaseText(now.addingTimeInterval(lease.secondsDouble))
        // A read first: the notifier asks every second, and most of the time nothing is due.
        let anyDue = try read("look for alerts due") { db in
            let statement = try db.cachedStatement(sql: """
                SELECT EXISTS (SELECT 1 FROM deliveries WHERE next_try_at IS NOT NULL AND next_try_at <= ?1
                  AND (claimed_until IS NULL OR claimed_until <= ?1) AND (?2 IS NULL OR run_id = ?2))
                """)
            return try Bool.fetchOne(statement, arguments: [nowText, run]) ?? false
        }
        guard anyDue else { return [] }
        return try write("claim the alerts due") { db in
            let select = try db.cachedStatement(sql: """
                SELECT \(Self.deliveryColumns.sql) FROM deliveries
                WHERE next_try_at IS NOT NULL AND next_try_at <= ?1 AND (claimed_until IS NULL OR claimed_until <= ?1)
                  AND (?3 IS NULL OR run_id = ?3)
                ORDER BY next_try_at, id LIMIT ?2
                """)
            let due = try fetch(select, [nowText, max(0, limit), run], delivery)
            let claim = try db.cachedStatement(sql: "UPDATE deliveries SET claimed_by = ?, claimed_until = ? WHERE id = ?")
            for item in due { try claim.execute(arguments: [holder, until, item.id]) }
            return due
        }
    }

    /// Releases the claims of holders that `isGone` says are dead (a SIGKILLed daemon or runner),
    /// so their deliveries are tried again now rather than when the claims run out.
    /// - Returns: how many were released.
    @discardableResult
    public func releaseDeliveryClaims(ofHoldersWhere isGone: (String) -> Bool) throws -> Int {
        try write("release the alerts claimed by dead processes") { db in
            let holders = try String.fetchAll(db, sql: "SELECT DISTINCT claimed_by FROM deliveries WHERE claimed_by IS NOT NULL")
            let release = try db.cachedStatement(sql: """
                UPDATE deliveries SET claimed_by = NULL, claimed_until = NULL WHERE claimed_by = ? AND next_try_at IS NOT NULL
                """)
            var released = 0
            for holder in holders where isGone(holder) {
                try release.execute(arguments: [holder])
                released += db.changesCount
            }
            return released
        }
    }

    /// Records one try of a delivery and releases its claim.
    public func recordTry(of id: Int64, _ result: DeliveryTry, at: Date) throws {
        let now = StoreDate.databaseText(at)
        try write("record a try of alert \(id)") { db in
            switch result {
            case .delivered(let answer):
                try db.execute(sql: """
                    UPDATE deliveries SET tries = tries + 1, answer = ?, delivered_at = ?, next_try_at = NULL,
                      claimed_by = NULL, claimed_until = NULL, last_error = NULL
                    WHERE id = ? AND delivered_at IS NULL AND given_up_at IS NULL
                    """, arguments: [answer, now, id])
            case let .failed(error, retryAt):
                try db.execute(sql: """
                    UPDATE deliveries SET tries = tries + 1, last_error = ?, next_try_at = ?, given_up_at = ?,
                      claimed_by = NULL, claimed_until = NULL
                    WHERE id = ? AND delivered_at IS NULL AND given_up_at IS NULL
                    """, arguments: [error, retryAt.map(StoreDate.databaseText), retryAt == nil ? now : nil, id])
            }
        }
    }

    /// What the notifier remembers of each job it has seen.
    public func alertMemories() throws -> [String: AlertMemory] {
        try read("read what the notifier remembers") { db in
            var memories: [String: AlertMemory] = [:]
            let selection = Selection(table: "alert_memory", columns: ["job", "memory"])
            let statement = try db.cachedStatement(sql: "SELECT job, memory FROM alert_memory")
            try forEachRow(statement) { row in
                let r = selection.reader(row, location)
                memories[try r.required(0)] = try r.json(1)
            }
            return memories
        }
    }

    /// Deliveries, newest first; of `job` only when given.
    public func deliveries(job: String? = nil, limit: Int) throws -> [Delivery] {
        try read("read the alerts") { db in
            if let job {
                let statement = try db.cachedStatement(sql: """
                    SELECT \(Self.deliveryColumns.sql) FROM deliveries WHERE job = ? ORDER BY id DESC LIMIT ?
                    """)
                return try fetch(statement, [job, max(0, limit)], delivery)
            }
            let statement = try db.cachedStatement(sql: "SELECT \(Self.deliveryColumns.sql) FROM deliveries ORDER BY id DESC LIMIT ?")
            return try fetch(statement, [max(0, limit)], delivery)
        }
    }

    static let deliveryColumns = Selection(table: "deliveries", columns: [
        "id", "event_id", "channel", "kind", "job", "run_id", "payload", "queued_at", "tries", "next_try_at",
        "last_error", "answer", "delivered_at", "given_up_at",
    ])

    /// A row of `deliveryColumns`.
    func delivery(_ row: Row) throws -> Delivery {
        let r = Self.deliveryColumns.reader(row, location)
        return Delivery(
            id: try r.required(0), eventID: try r.required(1), channel: try r.required(2), kind: try r.required(3),
            job: try r.required(4), runID: try r.optional(5), payload: try r.required(6), queuedAt: try r.date(7),
            tries: try r.required(8), nextTryAt: try r.optionalDate(9), lastError: try r.optional(10),
            answer: try r.optional(11), deliveredAt: try r.optionalDate(12), givenUpAt: try r.optionalDate(13))
    }
}
