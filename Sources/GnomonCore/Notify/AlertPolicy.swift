import Foundation

/// Which alerts an event raises under a job's rules, and what the notifier remembers after it.
///
/// - A failed run alerts a rule's channels once the streak reaches `after_consecutive_failures`;
///   a channel already told of the streak is told again only as its rule's `repeat` says
///   (`every_failure`, or once the duration has passed since it was last told). A run stopped at
///   its deadline alerts `timeout` rules too.
/// - A success alerts `success` rules, and `recovery` rules on the channels told of the streak
///   (the first success after a notified failure); it ends the streak.
/// - A cancelled run alerts nothing and leaves the streak as it is.
/// - Retries, skipped and missed fire times, invalid files, late runs and a silent job (the dead
///   man's switch, told as `late`) alert the rules that ask for them, each time they are told
///   (the notifier tells a late streak once, and a silent job once per interval). So do the
///   home's disk space running low and returning (told once per wait episode).
///
/// A channel named by several rules gets one alert of a kind per event.
public enum AlertPolicy {
    public static func decide(
        _ cause: AlertCause, rules: [NotifyRule], memory: AlertMemory, now: Date
    ) -> (alerts: [PlannedAlert], memory: AlertMemory) {
        var memory = memory
        var alerts: [PlannedAlert] = []
        func add(_ kind: NotifyCondition, _ channels: [String]) {
            var seen = Set(alerts.filter { $0.kind == kind }.flatMap(\.channels))
            let new = channels.filter { seen.insert($0).inserted }
            guard !new.isEmpty else { return }
            if let index = alerts.firstIndex(where: { $0.kind == kind }) {
                alerts[index].channels += new
            } else {
                alerts.append(PlannedAlert(kind: kind, channels: new))
            }
        }
        func rulesAsking(_ condition: NotifyCondition) -> [NotifyRule] { rules.filter { $0.on.contains(condition) } }

        switch cause {
        case let .runFinished(status, timedOut):
            defer { if status.isFinished { memory.lastStatus = status } }
            switch status {
            case .failed:
                memory.consecutiveFailures += 1
                for rule in rulesAsking(.failure) where memory.consecutiveFailures >= rule.afterConsecutiveFailures {
                    add(.failure, rule.to.filter { shouldTell($0, rule: rule, memory: memory, now: now) })
                }
                if timedOut { for rule in rulesAsking(.timeout) { add(.timeout, rule.to) } }
                for channel in alerts.first(where: { $0.kind == .failure })?.channels ?? [] {
                    memory.toldOfFailure[channel] = now
                }
            case .succeeded:
                for rule in rulesAsking(.recovery) {
                    add(.recovery, rule.to.filter { memory.toldOfFailure[$0] != nil })
                }
                for rule in rulesAsking(.success) { add(.success, rule.to) }
                memory.consecutiveFailures = 0
                memory.toldOfFailure = [:]
                memory.lastSuccessAt = now
                memory.silenceToldAt = nil
            case .cancelled:
                if timedOut { for rule in rulesAsking(.timeout) { add(.timeout, rule.to) } }
            case .queued, .running:
                break
            }
        case .retryScheduled:
            for rule in rulesAsking(.retry) { add(.retry, rule.to) }
        case .fireTimeSkipped:
            for rule in rulesAsking(.skipped) { add(.skipped, rule.to) }
        case .fireTimeMissed:
            for rule in rulesAsking(.missed) { add(.missed, rule.to) }
        case .fileInvalid:
            for rule in rulesAsking(.invalid) { add(.invalid, rule.to) }
        case .late:
            for rule in rulesAsking(.late) { add(.late, rule.to) }
        case .silent:
            memory.silenceToldAt = now
            for rule in rulesAsking(.late) { add(.late, rule.to) }
        case .diskSpace(let low):
            for rule in rulesAsking(low ? .diskLow : .diskOk) { add(low ? .diskLow : .diskOk, rule.to) }
        }
        return (alerts, memory)
    }

    /// When the dead man's switch of a job next fires, given its memory: `every` after the last
    /// success (or after it last fired); nil while that is unknown.
    public static func silenceDue(memory: AlertMemory, every: Duration) -> Date? {
        guard let since = [memory.lastSuccessAt, memory.silenceToldAt].compactMap({ $0 }).max() else { return nil }
        return since.addingTimeInterval(every.secondsDouble)
    }

    /// Whether `channel` is told of this failure under `rule`: the first time in the streak, then
    /// as the rule's `repeat` says.
    private static func shouldTell(_ channel: String, rule: NotifyRule, memory: AlertMemory, now: Date) -> Bool {
        guard let told = memory.toldOfFailure[channel] else { return true }
        switch rule.repeat {
        case .never: return false
        case .everyFailure: return true
        case .every(let interval): return now.timeIntervalSince(told) >= interval.secondsDouble
        }
    }
}
