import Foundation
import GnomonCore
import GnomonNotify
import GnomonTesting

/// The alerts the tests send.
enum Fixtures {
    static let scheduled = ISOTime.parse("2026-12-07T02:30:00Z")!
    static let started = ISOTime.parse("2026-12-07T02:30:01.250Z")!
    static let finished = ISOTime.parse("2026-12-07T02:31:13Z")!

    /// A failure of run 812 of nightly-etl: task load exited 3; its log has a line that is a
    /// single dot and one that starts with one (both need SMTP dot-stuffing).
    static let failure = Alert(
        eventID: 4711, type: .failure, job: "nightly-etl", runID: 812, status: "failed", previousStatus: "succeeded",
        consecutiveFailures: 1, trigger: "schedule", scheduledAt: scheduled, startedAt: started, finishedAt: finished,
        durationSeconds: 71.75,
        failedTasks: [.init(task: "load", exitCode: 3, reason: "exit 3", logTail: "loading 12 rows\n.\n.hidden\nERROR: duplicate key\n")],
        url: "https://gnomon.example/runs/812",
        text: "nightly-etl failed (run 812): task load exit 3")

    /// The recovery of nightly-etl with run 813.
    static let recovery = Alert(
        eventID: 4790, type: .recovery, job: "nightly-etl", runID: 813, status: "succeeded", previousStatus: "failed",
        consecutiveFailures: 0, trigger: "schedule", scheduledAt: scheduled, startedAt: started, finishedAt: finished,
        durationSeconds: 3, text: "nightly-etl recovered (run 813)")

    /// A test message: no run, every optional field absent.
    static let test = Alert(eventID: 1, type: .test, job: "nightly-etl", text: "nightly-etl test message")
}

/// A scratch folder for one test's receivers, removed at the end.
func withScratch<R>(_ body: (Scratch) async throws -> R) async throws -> R {
    let scratch = Scratch()
    defer { scratch.remove() }
    return try await body(scratch)
}

extension DeliveryResult {
    var error: String? {
        if case .failed(let error, _) = self { return error }
        return nil
    }

    var retryable: Bool? {
        if case .failed(_, let retryable) = self { return retryable }
        return nil
    }
}

/// Runs `body` with a real HTTP receiver started in a scratch folder, then stops it (by its
/// pid) and removes the folder, whether `body` threw or not.
func withHTTPReceiver<R>(_ behaviour: HTTPReceiver.Behaviour, _ body: (HTTPReceiver) async throws -> R) async throws -> R {
    try await ReceiverTools.require()
    return try await withScratch { scratch in
        let receiver = try await HTTPReceiver.start(in: scratch.file("http"), behaviour: behaviour)
        do {
            let result = try await body(receiver)
            await receiver.stop()
            return result
        } catch {
            await receiver.stop()
            throw error
        }
    }
}

/// The same with a real SMTP server; `options` may make files (a certificate) in the scratch folder.
func withSMTPReceiver<R>(
    _ options: (Scratch) async throws -> SMTPReceiver.Options = { _ in SMTPReceiver.Options() },
    _ body: (SMTPReceiver, Scratch) async throws -> R
) async throws -> R {
    try await ReceiverTools.require()
    return try await withScratch { scratch in
        let receiver = try await SMTPReceiver.start(in: scratch.file("smtp"), options: try await options(scratch))
        do {
            let result = try await body(receiver, scratch)
            await receiver.stop()
            return result
        } catch {
            await receiver.stop()
            throw error
        }
    }
}
