import Foundation
import GnomonCore
import GnomonStore

/// The checks of time, which no event starts: the dead man's switch and lateness. Each records an
/// event when it finds something, which the notifier then reads like any other.
extension Notifier {
    /// The dead man's switch: for each job with `expect_success_every`, records a `job_silent`
    /// event when no run has succeeded for that long (counted from its last success, or from when
    /// the notifier first watched it, and again from each alarm), whether or not anything ran.
    func checkSilence(now: Date) throws {
        let config = self.config.withLock { $0 }
        guard !config.settings.channels.isEmpty else { return }
        var remembered = try rememberedMemories()
        var changed: [String: AlertMemory] = [:]
        for (name, job) in config.jobs.sorted(by: { $0.key < $1.key }) {
            guard let every = config.settings.expectSuccessEvery(for: job.spec) else { continue }
            var memory = remembered[name] ?? AlertMemory()
            if memory.lastSuccessAt == nil {
                memory.lastSuccessAt = try store.lastSuccess(job: name) ?? now
                changed[name] = memory
            }
            guard let due = AlertPolicy.silenceDue(memory: memory, every: every), now >= due else {
                remembered[name] = memory
                continue
            }
            try store.recordSilence(job: name, since: memory.lastSuccessAt ?? now, at: now)
            // Told once per interval: the event's reading sets it again, to the event's time.
            memory.silenceToldAt = now
            changed[name] = memory
            remembered[name] = memory
        }
        try keep(remembered, saving: changed, at: now)
    }

    /// Lateness: for each scheduled job with `late_after`, every fire time whose deadline has
    /// passed since the last check is looked at; one whose run had not started by then (and that
    /// was not skipped or paused on purpose) begins a late streak, told once with a `job_late`
    /// event; a fire time whose run started in time ends it. A notifier that never checked a job
    /// starts from now.
    func checkLateness(now: Date) throws {
        let config = self.config.withLock { $0 }
        guard !config.settings.channels.isEmpty else { return }
        var remembered = try rememberedMemories()
        var changed: [String: AlertMemory] = [:]
        for (name, job) in config.jobs.sorted(by: { $0.key < $1.key }) {
            guard let late = config.settings.lateAfter(for: job.spec), let schedule = job.schedule else { continue }
            let horizon = now.addingTimeInterval(-late.secondsDouble)
            var memory = remembered[name] ?? AlertMemory()
            var cursor = memory.lateCheckedThrough ?? now
            var steps = 0
            while steps < 10_000, let fire = schedule.next(after: cursor), fire <= horizon {
                steps += 1
                cursor = fire
                let deadline = fire.addingTimeInterval(late.secondsDouble)
                let state = try store.fireTimeState(job: name, fireTime: fire, deadline: deadline)
                if state.skipped { continue }
                if state.startedInTime {
                    memory.lateToldFor = nil
                } else if memory.lateToldFor == nil {
                    try store.recordLate(job: name, fireTime: fire, deadline: deadline, at: now)
                    memory.lateToldFor = fire
                }
            }
            memory.lateCheckedThrough = max(cursor, memory.lateCheckedThrough ?? cursor)
            if memory != remembered[name] {
                changed[name] = memory
                remembered[name] = memory
            }
        }
        try keep(remembered, saving: changed, at: now)
    }

    /// Keeps `all` as what is remembered, after saving the memories in `changed`.
    private func keep(_ all: [String: AlertMemory], saving changed: [String: AlertMemory], at now: Date) throws {
        if !changed.isEmpty { try store.queue([], memories: changed, at: now) }
        memories.withLock { $0 = all }
    }
}
