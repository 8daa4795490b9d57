import Foundation
import GnomonStore

/// The event record's side of a full disk: `disk_low` when attempts begin to wait for free space,
/// `disk_ok` when it returns, once per wait episode (``DiskSpaceGuard``), whatever the number of
/// attempts that wait or the looks they take.
extension RunEngine {
    /// An attempt of run `run` is held back by `shortage`: tells `disk_low` if its wait opens an
    /// episode. A write that fails leaves the episode closed, for the next attempt that waits to
    /// tell it.
    func tellWaitBegan(_ shortage: DiskSpaceGuard.Shortage, job: String, run: Int64, task: String) {
        guard let episode = disk.beginWait(shortage, job: job, run: run, task: task) else { return }
        do {
            try store.recordDiskSpace(
                low: true, job: job, run: run, task: task,
                detail: shortage.measure + "; new attempts wait until space returns", at: clock.now())
        } catch {
            disk.forget(episode)
        }
    }

    /// Enough space again: tells `disk_ok` if an episode was open, about the attempt that opened
    /// it. A write that fails is not tried again (the waiting attempts start all the same).
    func tellWaitEnded() {
        guard disk.isWaiting, let episode = disk.endWait() else { return }
        let measure = disk.look()?.measure ?? "free space in \(episode.shortage.folder) is above min_free_space"
        try? store.recordDiskSpace(
            low: false, job: episode.job, run: episode.run, task: episode.task,
            detail: measure + "; the waiting attempts start", at: clock.now())
    }
}
