import Foundation
import GnomonCore
import GnomonEngine
import GnomonStore

extension BackfillRun {
    /// Works through a backfill's fire times, oldest first, at most `maxActive` runs at once,
    /// saying when each run starts and ends; a signal stops it (running runs cancelled, no new one).
    final class Driver: @unchecked Sendable {
        let engine: RunEngine
        let store: GnomonStore
        let job: ValidJob
        let backfill: Int64
        let only: Set<String>?
        let zone: TimeZone
        let say: @Sendable (String) -> Void
        /// Guards `controls` and `stopReason`.
        private let lock = NSLock()
        private var controls: [Int64: RunControl] = [:]
        private var stopReason: String?

        init(
            engine: RunEngine, store: GnomonStore, job: ValidJob, backfill: Int64, only: Set<String>?, zone: TimeZone,
            say: @escaping @Sendable (String) -> Void
        ) {
            self.engine = engine
            self.store = store
            self.job = job
            self.backfill = backfill
            self.only = only
            self.zone = zone
            self.say = say
        }

        var stopped: Bool { lock.withLock { stopReason != nil } }

        /// Cancels every run this process drives and starts no other.
        func stop(reason: String) {
            let running = lock.withLock { () -> [RunControl] in
                stopReason = reason
                return Array(controls.values)
            }
            for control in running { control.cancel(reason: reason) }
        }

        func drive(_ work: [Work], maxActive: Int) async {
            await withTaskGroup(of: Void.self) { group in
                var active = 0
                for item in work {
                    if active == maxActive {
                        await group.next()
                        active -= 1
                    }
                    if stopped { break }
                    // Runs are created here, one after another, so their ids follow the fire times.
                    guard let next = await start(item) else { continue }
                    group.addTask { await self.finish(next, time: item.time) }
                    active += 1
                }
                await group.waitForAll()
            }
        }

        /// What a started fire time waits for: its run executed here, or another process's run.
        enum Started: Sendable {
            case execute(PreparedRun)
            case await(Int64)
        }

        /// Creates the fire time's run if it has none; nil when there is nothing to wait for.
        private func start(_ item: Work) async -> Started? {
            let when = ISOTime.format(item.time, zone: zone)
            switch item {
            case .create(let time):
                do {
                    let prepared = try await engine.startNewRun(
                        job: job, trigger: .backfill, scheduledAt: time, only: only, backfill: backfill)
                    say("\(when): run \(prepared.id) started")
                    return .execute(prepared)
                } catch StoreError.duplicateRun(_, _, let existing) {
                    say("\(when): run \(existing) exists already (another process drives this backfill); waiting for it")
                    return .await(existing)
                } catch {
                    say("\(when): could not create a run: \(AppError(error).message)")
                    return nil
                }
            case .resume(_, let run):
                say("\(when): run \(run.id) continued (its runner had died)")
                return .execute(run)
            case .await(_, let id):
                say("\(when): run \(id) is run by another live process; waiting for it")
                return .await(id)
            }
        }

        private func finish(_ started: Started, time: Date) async {
            let when = ISOTime.format(time, zone: zone)
            guard case .execute(let prepared) = started else {
                if case .await(let id) = started {
                    let status = await waitForEnd(of: id)
                    say("\(when): run \(id) \(status.map(\.rawValue) ?? "gone")")
                }
                return
            }
            let control = RunControl()
            let reason: String? = lock.withLock {
                controls[prepared.id] = control
                return stopReason
            }
            if let reason { control.cancel(reason: reason) }
            let status = await engine.execute(prepared, control: control)
            lock.withLock { _ = controls.removeValue(forKey: prepared.id) }
            say("\(when): run \(prepared.id) \(status.rawValue)")
        }

        /// Polls the store until run `id` is finished (another process's run: no event reaches this
        /// one); nil if the run disappeared or this driver was stopped.
        private func waitForEnd(of id: Int64) async -> RunStatus? {
            while !stopped {
                guard let detail = try? store.run(id, snapshot: false) else { return nil }
                if detail.summary.status.isFinished { return detail.summary.status }
                try? await Task.sleep(for: .milliseconds(500))
            }
            return nil
        }
    }
}
