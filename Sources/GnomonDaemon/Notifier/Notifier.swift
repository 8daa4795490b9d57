import Foundation
import GnomonCore
import GnomonEngine
import GnomonNotify
import GnomonStore
import Logging
import Synchronization

/// The daemon's notifier: reads the event record from its persisted place, decides each event's
/// alerts under the job's rules (`AlertPolicy`), queues them with what it remembers of the job
/// and its new place in one transaction, and delivers what is due, retrying with backoff for
/// the settings' `retry_alerts_for`.
///
/// It runs beside the scheduling loop and never blocks it: every delivery has its channel's
/// timeout, several go at once, and a receiver that hangs holds only its own delivery. At least
/// once: an event read but not yet queued is read again after a crash; a delivery claimed but
/// not yet recorded is tried again once its lease ends. Receivers dedupe by `event_id`.
public final class Notifier: Sendable {
    /// Its place in the event record is kept under this name.
    static let reader = "notifier"
    /// How often the record and the due deliveries are looked at.
    static let pollInterval = Duration.seconds(1)
    /// Events read per transaction.
    static let batch = 200
    /// Deliveries tried at once (each transfer has a thread of its own while it waits).
    static let parallel = 16
    /// Deliveries claimed at a time.
    static let claimSize = 64
    /// How long a claimed delivery is this process's: longer than any channel's timeout.
    static let lease = Duration.seconds(300)

    struct Config {
        var settings = GnomonSettings()
        var senders: [String: any AlertSender] = [:]
        var jobs: [String: ValidJob] = [:]
    }

    let store: GnomonStore
    let clock: any EngineClock
    private let logger: Logger
    private let holder: String
    let config = Mutex(Config())
    /// Only the notifier's own loop reads and writes these.
    let memories = Mutex<[String: AlertMemory]?>(nil)

    public init(store: GnomonStore, clock: any EngineClock, logger: Logger, holder: String) {
        self.store = store
        self.clock = clock
        self.logger = logger
        self.holder = holder
    }

    /// Takes the settings file's channels and rules; a channel whose secret cannot be read is
    /// logged and left out (its alerts wait, retried, until it can be read).
    public func configure(settings: GnomonSettings, environment: [String: String]) {
        let made = ChannelSenders.make(settings.channels, environment: environment)
        for problem in made.problems { logger.error("notifications: \(problem)") }
        config.withLock {
            $0.settings = settings
            $0.senders = made.senders
        }
    }

    /// The jobs' current definitions, for events that are not about a run and for the checks of
    /// time (lateness, the dead man's switch).
    public func update(jobs: [String: ValidJob]) {
        config.withLock { $0.jobs = jobs }
    }

    /// Takes up where the last notifier of this home stood, and starts watching the jobs' time
    /// checks from now; call once, before ``run()``, when the daemon starts (so that what counts
    /// from "now" counts from the daemon's start, not from whenever the loop first turns).
    public func prepare() {
        do {
            try begin()
            let now = clock.now()
            try checkSilence(now: now)
            try checkLateness(now: now)
        } catch {
            logger.error("notifications: could not read where the notifier stands", metadata: ["error": "\(error)"])
        }
    }

    /// Reads, queues and delivers until the calling task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            let now = clock.now()
            do {
                try checkSilence(now: now)
                try checkLateness(now: now)
                while try readEvents(now: now) == Self.batch {}
            } catch {
                logger.error("notifications: could not read the event record", metadata: ["error": "\(error)"])
            }
            // Everything due goes out before the next look: a burst of alerts is not held to one
            // claim's worth per poll.
            while await deliverDue(now: clock.now()) == Self.claimSize, !Task.isCancelled {}
            do { try await clock.sleep(until: now.addingTimeInterval(Self.pollInterval.secondsDouble)) } catch { return }
        }
    }

    /// A notifier that never ran starts at the newest event: history is not alerted on. Alerts
    /// claimed by a daemon before this one (dead: this one holds the home's lock) or by a runner
    /// whose process is gone are free again.
    func begin() throws {
        let me = holder
        let released = try store.releaseDeliveryClaims { other in
            if other == me { return false }
            if other.hasPrefix(Daemon.instancePrefix) { return true }
            guard other.hasPrefix("runner-"), let pid = Int32(other.dropFirst("runner-".count)) else { return false }
            return kill(pid, 0) != 0 && errno == ESRCH
        }
        if released > 0 { logger.notice("notifications: alerts held by a dead process freed", metadata: ["count": "\(released)"]) }
        guard try store.eventCursor(Self.reader) == 0 else { return }
        let last = try store.lastEventID()
        if last > 0 { try store.queue([], advancing: Self.reader, to: last, at: clock.now()) }
    }

    /// Reads up to `batch` events after its place and queues their alerts; returns how many it read.
    func readEvents(now: Date) throws -> Int {
        let place = try store.eventCursor(Self.reader)
        let events = try store.events(after: place, limit: Self.batch)
        guard let last = events.last else { return 0 }
        if config.withLock({ $0.settings.channels.isEmpty }) {
            // Nowhere to send anything: only the place moves (no job's memory is kept).
            try store.queue([], advancing: Self.reader, to: last.id, at: now)
        } else {
            try decideAndQueue(events, advancingTo: last.id, now: now)
        }
        return events.count
    }

    /// Decides the alerts of `events` and queues them with what is remembered of their jobs (and,
    /// when given, the notifier's new place), in one transaction. An event a job's memory has
    /// already gone past changes nothing.
    private func decideAndQueue(_ events: [StoredEvent], advancingTo place: Int64?, now: Date) throws {
        var remembered = try rememberedMemories()
        let config = self.config.withLock { $0 }
        var queued: [NewDelivery] = []
        var changed: [String: AlertMemory] = [:]
        for event in events {
            let before = remembered[event.job] ?? AlertMemory()
            guard event.id > before.throughEvent, let (cause, run) = try cause(of: event) else { continue }
            let job = run?.snapshot ?? config.jobs[event.job]?.spec
            let jobRules = job.map(config.settings.rules(for:)) ?? config.settings.notify
            let rules = cause.isAboutTheHome ? Self.everyRule(config) + jobRules : jobRules
            var decided = AlertPolicy.decide(cause, rules: rules, memory: before, now: event.at)
            decided.memory.throughEvent = event.id
            remembered[event.job] = decided.memory
            changed[event.job] = decided.memory
            guard !decided.alerts.isEmpty else { continue }
            for planned in decided.alerts {
                let alert = AlertBuilder.alert(
                    kind: planned.kind, event: event, run: run, previous: before.lastStatus, memory: decided.memory,
                    publicURL: config.settings.publicURL)
                let payload = String(decoding: alert.jsonBody(), as: UTF8.self)
                for channel in planned.channels {
                    queued.append(NewDelivery(
                        eventID: event.id, channel: channel, kind: planned.kind.rawValue, job: event.job,
                        runID: event.runID, payload: payload))
                }
            }
        }
        if let place {
            try store.queue(queued, memories: changed, advancing: Self.reader, to: place, at: now)
        } else {
            try store.queue(queued, memories: changed, at: now)
        }
        memories.withLock { $0 = remembered }
        if !queued.isEmpty { logger.info("notifications: queued", metadata: ["alerts": "\(queued.count)"]) }
    }

    /// What is remembered of each job: read from the store the first time, then kept by this
    /// notifier, the only writer while it runs.
    func rememberedMemories() throws -> [String: AlertMemory] {
        try memories.withLock { cached in
            if let cached { return cached }
            return try store.alertMemories()
        }
    }

    /// For a run made by `gnomon run` while no daemon runs: decides and delivers the alerts of
    /// run `id` (its events after `eventsAfter`), waiting at most `within`. What is not delivered
    /// by then stays queued for the next daemon, which does not queue it again.
    public func notify(run id: Int64, eventsAfter: Int64, within limit: Duration) async {
        let now = clock.now()
        do {
            var events: [StoredEvent] = []
            var after = eventsAfter
            while true {
                let page = try store.events(after: after, limit: 1_000, run: id)
                events += page
                guard let last = page.last, page.count == 1_000 else { break }
                after = last.id
            }
            try decideAndQueue(events, advancingTo: nil, now: now)
        } catch {
            logger.error("notifications: could not queue the alerts of run \(id)", metadata: ["error": "\(error)"])
            return
        }
        let delivering = Task { await deliverDue(now: now, run: id) }
        let deadline = Task {
            try? await Task.sleep(for: limit)
            delivering.cancel()
        }
        await delivering.value
        deadline.cancel()
    }

    /// The rules an event about the whole home is decided under, beside those of its run's job:
    /// the settings file's and every job file's own (a channel named by several is told once).
    static func everyRule(_ config: Config) -> [NotifyRule] {
        config.settings.notify + config.jobs.keys.sorted().flatMap { config.jobs[$0]?.spec.notify ?? [] }
    }

    /// What an event means to the rules, with its run in full when it is about one; nil when it
    /// can raise no alert.
    private func cause(of event: StoredEvent) throws -> (AlertCause, RunDetail?)? {
        switch event.type {
        case .runFinished:
            guard let id = event.runID, let run = try store.run(id),
                  let status = event.status.flatMap(RunStatus.init(rawValue:)) else { return nil }
            let timedOut = run.attempts.contains { $0.outcome == .timedOut }
                || (run.summary.reason?.hasPrefix("run timeout") ?? false)
            return (.runFinished(status: status, timedOut: timedOut), run)
        case .taskChanged where event.status == TaskStatus.retrying.rawValue:
            guard let id = event.runID, let run = try store.run(id) else { return nil }
            return (.retryScheduled, run)
        case .fireTime:
            switch event.status {
            case "skipped_overlap", "paused": return (.fireTimeSkipped, nil)
            case "missed", "dropped": return (.fireTimeMissed, nil)
            default: return nil
            }
        case .jobInvalid:
            return (.fileInvalid, nil)
        case .jobSilent:
            return (.silent, nil)
        case .jobLate:
            guard let fire = event.status.flatMap(ISOTime.parse) else { return nil }
            return (.late(scheduledAt: fire), nil)
        case .diskLow, .diskOk:
            return (.diskSpace(low: event.type == .diskLow), try event.runID.flatMap { try store.run($0) })
        default:
            return nil
        }
    }


    /// Tries every delivery due now, several at once; each failure is retried with backoff until
    /// `giveUpAfter`, or given up at once when the receiver refused it for good.
    /// - Returns: how many were claimed (`claimSize` when more may be due).
    @discardableResult
    func deliverDue(now: Date, run: Int64? = nil) async -> Int {
        let due: [Delivery]
        do {
            due = try store.claimDueDeliveries(at: now, holder: holder, lease: Self.lease, limit: Self.claimSize, run: run)
        } catch {
            logger.error("notifications: could not claim the alerts due", metadata: ["error": "\(error)"])
            return 0
        }
        guard !due.isEmpty else { return 0 }
        let (senders, retryFor) = config.withLock { ($0.senders, $0.settings.retryAlertsFor.secondsDouble) }
        await withTaskGroup(of: (Delivery, DeliveryResult).self) { group in
            var waiting = due[...]
            func startNext() {
                guard let delivery = waiting.popFirst() else { return }
                group.addTask { (delivery, await Self.send(delivery, senders: senders)) }
            }
            for _ in 0..<Self.parallel { startNext() }
            while let (delivery, result) = await group.next() {
                record(delivery, result, retryFor: retryFor)
                startNext()
            }
        }
        return due.count
    }

    static func send(_ delivery: Delivery, senders: [String: any AlertSender]) async -> DeliveryResult {
        guard let sender = senders[delivery.channel] else {
            return .failed(error: "channel \(delivery.channel) is not defined in the settings file, or its secret "
                + "could not be read (see the daemon's log); it is tried again after the settings are fixed and reloaded (SIGHUP)",
                retryable: true)
        }
        guard let alert = try? JSONDecoder().decode(Alert.self, from: Data(delivery.payload.utf8)) else {
            return .failed(error: "the queued alert \(delivery.id) cannot be read back", retryable: false)
        }
        return await sender.send(alert)
    }

    private func record(_ delivery: Delivery, _ result: DeliveryResult, retryFor: TimeInterval) {
        let now = clock.now()
        let outcome: DeliveryTry
        switch result {
        case .delivered(let detail):
            outcome = .delivered(answer: detail)
            logger.info("notifications: delivered", metadata: [
                "job": "\(delivery.job)", "channel": "\(delivery.channel)", "kind": "\(delivery.kind)", "answer": "\(detail)",
            ])
        case let .failed(error, retryable):
            let wait = min(5 * pow(2, Double(delivery.tries)), 600)
            let retryAt = now.addingTimeInterval(wait)
            let keep = retryable && retryAt.timeIntervalSince(delivery.queuedAt) < retryFor
            outcome = .failed(error: error, retryAt: keep ? retryAt : nil)
            logger.warning(keep ? "notifications: delivery failed; trying again" : "notifications: delivery failed; given up", metadata: [
                "job": "\(delivery.job)", "channel": "\(delivery.channel)", "kind": "\(delivery.kind)", "error": "\(error)",
            ])
        }
        do {
            try store.recordTry(of: delivery.id, outcome, at: now)
        } catch {
            logger.error("notifications: could not record a delivery", metadata: ["error": "\(error)"])
        }
    }
}
