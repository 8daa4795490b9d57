import Foundation

/// The instances of foreach tasks: made when a task's list is known (or rebuilt for a continued
/// run), launched within their task's and the run's concurrency, and their task ended once the
/// last one has finished.
extension RunMachine {
    /// Rebuilds the instances of a foreach task that fanned out before this machine: finished
    /// ones stay finished (unless reopened while the task is reopened too), the others wait.
    mutating func restoreFanOut(_ task: String, items: [String], previous: [String: TaskStatus], reopen: Set<TaskStatus>) {
        let taskFinished = tasks[task]!.isFinished
        var fan = FanOut(task: task, items: items, limit: specs[task]?.concurrency)
        for index in items.indices {
            let name = ForeachSource.instanceName(task, index)
            instanceOf[name] = InstanceOf(task: task, index: index)
            let recorded = previous[name] ?? .waiting
            if recorded.isFinished && (taskFinished || !reopen.contains(recorded)) {
                tasks[name] = Self.finishedState(recorded)
            } else if taskFinished {
                tasks[name] = .cancelled(reason: "cancelled earlier")
            } else {
                tasks[name] = .waiting
                fan.enqueue(index)
                continue
            }
            fan.unfinished -= 1
            switch recorded {
            case .succeeded: break
            case .cancelled: fan.cancelled += 1
            default: if recorded.isFinished { fan.failed.append(index) } else { fan.cancelled += 1 }
            }
        }
        if !taskFinished { tasks[task] = .fanning }
        fanOuts[task] = fan
    }

    /// The foreach task and item of an instance name; nil for any other name.
    public func instance(_ name: String) -> (of: InstanceOf, item: String)? {
        guard let of = instanceOf[name], let fan = fanOuts[of.task] else { return nil }
        return (of, fan.items[of.index])
    }

    /// The items of a foreach task that has fanned out, in order; nil before (or without) a fan-out.
    public func items(of task: String) -> [String]? { fanOuts[task]?.items }

    /// A foreach task whose list could not fan out fails with the reason; no instance is made.
    mutating func failFanOut(_ task: String, reason: String, into actions: inout [RunAction]) {
        guard tasks[task] == .fanning, fanOuts[task] == nil else { return }
        set(task, .failed(reason: reason))
        actions.append(.recordTask(task: task, status: .failed, reason: reason, retryAt: nil))
    }

    /// Makes the instances of a foreach task, recorded before any of them launches.
    mutating func fannedOut(_ task: String, items: [String], into actions: inout [RunAction]) {
        guard tasks[task] == .fanning, fanOuts[task] == nil else { return }
        var fan = FanOut(task: task, items: items, limit: specs[task]?.concurrency)
        actions.append(.recordInstances(task: task, items: items))
        for index in items.indices {
            let name = ForeachSource.instanceName(task, index)
            instanceOf[name] = InstanceOf(task: task, index: index)
            tasks[name] = .waiting
            fan.enqueue(index)
        }
        unfinishedCount += items.count
        fanOuts[task] = fan
        if items.isEmpty { closable.append(task) } else { fanOutsWithQueue.insert(task) }
    }

    /// Ends the foreach tasks whose last instance has finished.
    mutating func closeFanOuts(into actions: inout [RunAction]) {
        while let task = closable.popLast() {
            guard tasks[task] == .fanning, let fan = fanOuts[task], fan.unfinished == 0 else { continue }
            if !fan.failed.isEmpty {
                set(task, .failed(reason: fan.failureReason))
                actions.append(.recordTask(task: task, status: .failed, reason: fan.failureReason, retryAt: nil))
            } else if fan.cancelled > 0 {
                let reason = stopReason ?? "\(fan.cancelled) of \(fan.items.count) instances were cancelled"
                set(task, .cancelled(reason: reason))
                actions.append(.recordTask(task: task, status: .cancelled, reason: reason, retryAt: nil))
            } else {
                set(task, .succeeded)
                actions.append(.recordTask(task: task, status: .succeeded, reason: nil, retryAt: nil))
            }
        }
    }

    /// Launches waiting instances while their task's and the run's concurrency allow.
    mutating func launchInstances(into actions: inout [RunAction]) {
        guard !fanOutsWithQueue.isEmpty else { return }
        for task in fanOutsWithQueue.sorted(by: topologicallyFirst) {
            while fanOuts[task]!.hasQueued, fanOuts[task]!.mayLaunch {
                if let limit = concurrency, runningCount >= limit { return }
                let index = fanOuts[task]!.dequeue()!
                let name = ForeachSource.instanceName(task, index)
                guard tasks[name] == .waiting else { continue }
                launch(name, into: &actions)
            }
            if !fanOuts[task]!.hasQueued { fanOutsWithQueue.remove(task) }
        }
    }

    /// The bookkeeping of an instance's change: its task's running and unfinished counts, its
    /// queue, and whether the task may now end.
    mutating func setInstance(_ of: InstanceOf, from old: TaskState, to state: TaskState) {
        if case .running = old { fanOuts[of.task]!.running -= 1 }
        if case .running = state { fanOuts[of.task]!.running += 1 }
        if !old.isFinished && state.isFinished {
            unfinishedCount -= 1
            fanOuts[of.task]!.unfinished -= 1
            switch state {
            case .succeeded: break
            case .cancelled: fanOuts[of.task]!.cancelled += 1
            default: fanOuts[of.task]!.failed.append(of.index)
            }
            if fanOuts[of.task]!.unfinished == 0 { closable.append(of.task) }
        }
        if state == .waiting {
            fanOuts[of.task]!.enqueue(of.index)
            fanOutsWithQueue.insert(of.task)
        }
    }
}
