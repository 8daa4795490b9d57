import Foundation
import GnomonCore
import GnomonExecution
import GnomonStore
import Synchronization

/// The child tasks of a run's loop: its attempts (and attempts re-attached after a restart), its
/// timers and its watch for kill requests, each reporting back through the loop's one stream.
extension RunExecution {
    /// Starts one attempt: waits for a worker slot, runs the task, reports the outcome and, after
    /// a success, the outputs it wrote.
    ///
    /// - Parameters:
    ///   - upstream: the outputs of each upstream task that succeeded, by task.
    ///   - committed: opens once the changes that made the task ready are committed.
    ///   - item: an instance's index and item.
    func startAttempt(
        _ spec: TaskSpec, attempt: Int, upstream: [String: [String: String]], committed: RunRecorder.Gate,
        item: (index: Int, text: String)? = nil
    ) -> Task<Void, Never> {
        let engine = self.engine, observer = self.observer, continuation = self.continuation
        let runID = self.runID, task = spec.name, recorder = self.recorder, launches = self.launches
        let emptyInputs = self.emptyInputs
        let job = prepared.job.name
        return Task(executorPreference: ProcessLoop.shared) {
            // Too little free space in the home: the task waits, ready, with the reason recorded
            // (`gnomon show`), and starts when space returns. The event record is told once per
            // wait episode (`disk_low`, then `disk_ok`), which the notification rules can alert.
            if let shortage = engine.disk.shortage() {
                recorder.enqueue([.taskStatus(run: runID, task: task, status: .ready, reason: shortage.reason, retryAt: nil,
                                              at: engine.clock.now())])
                recorder.commit()
                engine.tellWaitBegan(shortage, job: job, run: runID, task: task)
                guard await engine.disk.waitForSpace() else {
                    continuation.yield(.attemptEnded(task: task, attempt: attempt, outcome: .cancelled, recorded: false, spawned: false))
                    return
                }
                engine.tellWaitEnded()
                recorder.enqueue([.taskStatus(run: runID, task: task, status: .ready, reason: nil, retryAt: nil,
                                              at: engine.clock.now())])
            } else if engine.disk.isWaiting {
                // The attempts of the episode were cancelled before they saw space return.
                engine.tellWaitEnded()
            }
            // Prepared while the previous attempts run, spawned the moment a worker slot frees up
            // (the slot is taken at the executor's gate).
            do {
                try await engine.staging.acquire()
            } catch {
                continuation.yield(.attemptEnded(task: task, attempt: attempt, outcome: .cancelled, recorded: false, spawned: false))
                return
            }
            let gate = SlotGate(pool: engine.pool, staging: engine.staging, committed: committed)
            // Built here, not in the loop: a run that makes a thousand tasks ready at once starts
            // the first without building the environment of all the others first.
            let launch: AttemptLaunch
            switch Self.prepareLaunch(launches, spec, attempt: attempt, upstream: upstream, emptyInputs: emptyInputs, item: item) {
            case .success(let prepared):
                launch = prepared
            case .failure(let refusal):
                // Nothing ran; recorded as an attempt that could not start, its log saying why.
                gate.finish()
                continuation.yield(.attemptEnded(
                    task: task, attempt: attempt, outcome: .couldNotStart(reason: refusal.reason), recorded: false, spawned: true))
                return
            }
            let recorded = Mutex(false)
            let onStart: @Sendable (StartedProcess) -> Void = { started in
                let now = engine.clock.now()
                // Committed with the run's next change (often another attempt's end), within
                // `rideAlongDelay` at the latest, and always before this attempt's end.
                recorder.enqueue([
                    .taskStatus(run: runID, task: task, status: .running, reason: nil, retryAt: nil, at: now),
                    .attemptStarted(
                        run: runID, task: task, number: attempt, at: now,
                        // A Slurm job has no process here (0): no pid to record or kill.
                        pid: started.pid > 0 ? started.pid : nil, pgid: started.pgid > 0 ? started.pgid : nil,
                        containerName: started.reference?.recordedContainerName, logPath: launch.logPath,
                        runnerInstance: engine.settings.runnerInstance, slurmJob: started.reference?.recordedSlurmJob),
                ], commitWithin: Self.rideAlongDelay)
                recorded.withLock { $0 = !recorder.hasFailed }
                observer.progress(.attemptStarted(task: task, attempt: attempt, pid: started.pid, at: now))
            }
            let ran = await engine.executor.run(launch, gate: gate, onStart: onStart)
            gate.finish()
            let ownInputs = launch.inputsPath == AttemptFiles.inputsPath(logPath: launch.logPath)
            let (outcome, published) = Self.collectOutputs(ran, logPath: launch.logPath, ownInputs: ownInputs)
            // Cancelled before any process existed: nothing ran, so no attempt is recorded (it
            // would have no pid and no log).
            let recordedStart = recorded.withLock { $0 }
            let spawned = recordedStart || outcome != .cancelled
            continuation.yield(.attemptEnded(
                task: task, attempt: attempt, outcome: outcome, recorded: recordedStart, spawned: spawned, outputs: published))
        }
    }

    /// Re-attaches to an attempt a dead runner left running (a container) and reports its true
    /// outcome; `.lost` when nothing of it is left.
    func startAdoption(_ adoption: Adoption) -> Task<Void, Never> {
        let executor = engine.executor, continuation = self.continuation
        return Task {
            let ran = await executor.reattach(adoption.reference, logPath: adoption.logPath) ?? .lost
            let (outcome, published) = Self.collectOutputs(ran, logPath: adoption.logPath)
            continuation.yield(.attemptEnded(
                task: adoption.task, attempt: adoption.attempt, outcome: outcome, recorded: true, spawned: true,
                outputs: published))
        }
    }

    func startTimer(at date: Date, message: Message) -> Task<Void, Never> {
        let clock = self.clock, continuation = self.continuation
        return Task {
            do {
                try await clock.sleep(until: date)
                continuation.yield(message)
            } catch {}
        }
    }

    /// Watches the store for `gnomon kill` requests made by other processes.
    func startCancelPoll() -> Task<Void, Never> {
        let store = self.store, runID = self.runID, continuation = self.continuation
        let interval = engine.settings.cancelPollInterval
        return Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                if let reason = try? store.cancelRequest(run: runID) {
                    continuation.yield(.event(.cancel(reason: reason)))
                    return
                }
            }
        }
    }
}
