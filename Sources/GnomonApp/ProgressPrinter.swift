import Dispatch
import Foundation
import GnomonCore
import GnomonEngine
import GnomonExecution
import Synchronization

/// Shows a run's progress: on a terminal a live status line (done/total, what runs and for how
/// long, what waits for a retry) under the finished tasks; otherwise one line per event.
final class ProgressPrinter: RunObserver, @unchecked Sendable {
    private struct State {
        var total = 0
        var finished: [String: TaskStatus] = [:]
        var running: [String: (attempt: Int, since: Date)] = [:]
        var retrying: [String: Date] = [:]
        var statusLineShown = false
    }

    private let job: JobSpec
    private let run: Int64
    private let live: Bool
    /// Where the lines go: standard output, or a file in tests.
    private let output: Int32
    private let state = Mutex(State())
    private var timer: (any DispatchSourceTimer)?

    init(job: JobSpec, run: Int64, live: Bool, output: Int32 = STDOUT_FILENO) {
        self.job = job
        self.run = run
        self.live = live
        self.output = output
        if live {
            let timer = DispatchSource.makeTimerSource(queue: .global())
            timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
            timer.setEventHandler { [weak self] in self?.redraw() }
            timer.resume()
            self.timer = timer
        }
    }

    func stop() {
        timer?.cancel()
        if live { state.withLock { clearStatusLine(&$0) } }
    }

    func progress(_ event: RunProgress) {
        state.withLock { state in
            switch event {
            case let .runStarted(run, job, tasks):
                state.total = tasks
                emit(&state, "run \(run) of \(job) started (\(tasks) task\(tasks == 1 ? "" : "s"))")
            case let .attemptStarted(task, attempt, pid, at):
                state.running[task] = (attempt, at)
                state.retrying[task] = nil
                if !live { emit(&state, "\(task): attempt \(attempt) started" + (pid.map { " (pid \($0))" } ?? "")) }
            case let .attemptFinished(task, attempt, outcome, at):
                let took = state.running[task].map { Self.seconds(at.timeIntervalSince($0.since)) } ?? ""
                state.running[task] = nil
                if !live || !outcome.succeeded {
                    emit(&state, "\(task): attempt \(attempt) \(outcome.summary)\(took.isEmpty ? "" : " after \(took)")")
                }
            case let .taskChanged(task, status, reason, retryAt):
                if status.isFinished { state.finished[task] = status }
                if status == .retrying, let retryAt {
                    state.retrying[task] = retryAt
                    emit(&state, "\(task): retrying at \(ISOTime.utc(retryAt)) (\(reason ?? ""))")
                } else if status.isFinished {
                    let mark = status == .succeeded ? "✓" : "✗"
                    emit(&state, "\(mark) \(task) \(status.rawValue)\(reason.map { ": \($0)" } ?? "")")
                }
            case let .runFinished(run, status, reason, _):
                clearStatusLine(&state)
                emit(&state, "run \(run) \(status.rawValue)\(reason.map { ": \($0)" } ?? "")")
            case let .storeFailed(message):
                emit(&state, "error: \(message)")
            }
        }
    }

    private func emit(_ state: inout State, _ line: String) {
        clearStatusLine(&state)
        let prefix = live ? "" : ISOTime.utc(Date()) + " "
        DescriptorText.write(prefix + line + "\n", to: output)
    }

    private func clearStatusLine(_ state: inout State) {
        guard state.statusLineShown else { return }
        DescriptorText.write("\r\u{1B}[K", to: output)
        state.statusLineShown = false
    }

    private func redraw() {
        state.withLock { state in
            let now = Date()
            var parts = ["\(state.finished.count)/\(state.total) done"]
            if !state.running.isEmpty {
                parts.append("running " + state.running.sorted { $0.key < $1.key }
                    .map { "\($0.key) \(Self.seconds(now.timeIntervalSince($0.value.since)))" }.joined(separator: ", "))
            }
            if !state.retrying.isEmpty {
                parts.append("retrying " + state.retrying.sorted { $0.key < $1.key }
                    .map { "\($0.key) in \(Self.seconds(max(0, $0.value.timeIntervalSince(now))))" }.joined(separator: ", "))
            }
            DescriptorText.write("\r\u{1B}[K" + parts.joined(separator: " · "), to: output)
            state.statusLineShown = true
        }
    }

    /// `0.3s`, `12.0s`, `4m05s`: integer formatting, since this runs for every event.
    static func seconds(_ interval: TimeInterval) -> String {
        let tenths = Int((max(0, interval) * 10).rounded())
        if tenths < 600 { return "\(tenths / 10).\(tenths % 10)s" }
        let whole = tenths / 10
        let rest = whole % 60
        return "\(whole / 60)m\(rest < 10 ? "0" : "")\(rest)s"
    }
}
