import Foundation

/// One alert for one channel: queued from an event, tried until delivered or given up.
public struct Delivery: Sendable, Hashable, Codable {
    public var id: Int64
    /// The event that caused it; receivers dedupe by it.
    public var eventID: Int64
    public var channel: String
    /// What it tells: `failure`, `recovery`, `retry`, … (a `NotifyCondition`), or `test`.
    public var kind: String
    public var job: String
    public var runID: Int64?
    /// The JSON sent, fixed when queued.
    public var payload: String
    public var queuedAt: Date
    public var tries: Int
    /// When it is tried next; nil once delivered or given up.
    public var nextTryAt: Date?
    public var lastError: String?
    /// What the receiver answered (`HTTP 200`, `250 queued`).
    public var answer: String?
    public var deliveredAt: Date?
    public var givenUpAt: Date?

    /// `delivered`, `given up` or `pending`.
    public var state: String {
        if deliveredAt != nil { return "delivered" }
        if givenUpAt != nil { return "given_up" }
        return "pending"
    }

    enum CodingKeys: String, CodingKey {
        case id, channel, kind, job, payload, tries, answer, state
        case eventID = "event_id", runID = "run_id", queuedAt = "queued_at", nextTryAt = "next_try_at"
        case lastError = "last_error", deliveredAt = "delivered_at", givenUpAt = "given_up_at"
    }

    public init(
        id: Int64, eventID: Int64, channel: String, kind: String, job: String, runID: Int64?, payload: String,
        queuedAt: Date, tries: Int = 0, nextTryAt: Date?, lastError: String? = nil, answer: String? = nil,
        deliveredAt: Date? = nil, givenUpAt: Date? = nil
    ) {
        (self.id, self.eventID, self.channel, self.kind, self.job, self.runID, self.payload) =
            (id, eventID, channel, kind, job, runID, payload)
        (self.queuedAt, self.tries, self.nextTryAt, self.lastError, self.answer, self.deliveredAt, self.givenUpAt) =
            (queuedAt, tries, nextTryAt, lastError, answer, deliveredAt, givenUpAt)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(Int64.self, forKey: .id), eventID: try c.decode(Int64.self, forKey: .eventID),
            channel: try c.decode(String.self, forKey: .channel), kind: try c.decode(String.self, forKey: .kind),
            job: try c.decode(String.self, forKey: .job), runID: try c.decodeIfPresent(Int64.self, forKey: .runID),
            payload: try c.decode(String.self, forKey: .payload), queuedAt: try c.decode(Date.self, forKey: .queuedAt),
            tries: try c.decode(Int.self, forKey: .tries), nextTryAt: try c.decodeIfPresent(Date.self, forKey: .nextTryAt),
            lastError: try c.decodeIfPresent(String.self, forKey: .lastError),
            answer: try c.decodeIfPresent(String.self, forKey: .answer),
            deliveredAt: try c.decodeIfPresent(Date.self, forKey: .deliveredAt),
            givenUpAt: try c.decodeIfPresent(Date.self, forKey: .givenUpAt))
    }

    /// Every key is written, `null` when it has no value; the payload as JSON text.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(eventID, forKey: .eventID)
        try c.encode(channel, forKey: .channel)
        try c.encode(kind, forKey: .kind)
        try c.encode(job, forKey: .job)
        try c.encode(runID, forKey: .runID)
        try c.encode(payload, forKey: .payload)
        try c.encode(queuedAt, forKey: .queuedAt)
        try c.encode(tries, forKey: .tries)
        try c.encode(nextTryAt, forKey: .nextTryAt)
        try c.encode(lastError, forKey: .lastError)
        try c.encode(answer, forKey: .answer)
        try c.encode(deliveredAt, forKey: .deliveredAt)
        try c.encode(givenUpAt, forKey: .givenUpAt)
        try c.encode(state, forKey: .state)
    }
}

/// An alert to queue for one channel.
public struct NewDelivery: Sendable, Hashable {
    public var eventID: Int64
    public var channel: String
    public var kind: String
    public var job: String
    public var runID: Int64?
    public var payload: String

    public init(eventID: Int64, channel: String, kind: String, job: String, runID: Int64?, payload: String) {
        (self.eventID, self.channel, self.kind, self.job, self.runID, self.payload) = (eventID, channel, kind, job, runID, payload)
    }
}

/// How one try of a delivery went.
public enum DeliveryTry: Sendable, Hashable {
    /// The receiver took it; what it answered.
    case delivered(answer: String)
    /// It failed; tried again at `retryAt`, or given up when that is nil.
    case failed(error: String, retryAt: Date?)
}
