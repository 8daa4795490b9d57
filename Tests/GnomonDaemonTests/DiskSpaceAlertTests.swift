import Foundation
import Glibc
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing
@testable import GnomonDaemon

/// A home short of free space alerts once per wait episode: a daemon whose home is a real, small
/// file system (a 16 MiB tmpfs, mounted by the test as root and unmounted at its end), a file the
/// test writes taking the space, and a real local webhook receiver.
@Suite(.timeLimit(.minutes(2)), .needsReceivers,
       .enabled(if: getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true", "mounting a tmpfs needs root"))
struct DiskSpaceAlertTests {
    static func mountOrUnmount(_ argv: [String]) async throws {
        let output = try await ProcessSpawner.shared.runCapturingOutput(argv, environment: ["PATH": "/usr/bin:/bin"])
        guard output.status == .exited(code: 0) else {
            throw TestSetupError("\(argv.joined(separator: " ")) failed: \(output.errorText)")
        }
    }

    @Test("attempts waiting for space alert disk_low once, however many wait and look; space back alerts disk_ok once")
    func lowThenBack() async throws {
        let d = try ClockedDaemon()
        try FileManager.default.createDirectory(atPath: d.home, withIntermediateDirectories: true)
        try await Self.mountOrUnmount(["/bin/mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", d.home])
        do {
            try await waitAndAlert(d)
        } catch {
            try? await d.stop()
            try? await Self.mountOrUnmount(["/bin/umount", "--lazy", d.home])
            throw error
        }
        try await d.stop()
        // The store's connections close when the last reference goes: a lazy unmount detaches the
        // file system at once and frees it then.
        try await Self.mountOrUnmount(["/bin/umount", "--lazy", d.home])
    }

    private func waitAndAlert(_ d: ClockedDaemon) async throws {
        let receiver = try await DaemonNotifyTests.receiver(d)
        defer { Task { await receiver.stop() } }
        // The rule that asks for the disk events is the settings file's; the job has rules of its
        // own (failure only): an event about the home is decided under every rule.
        try DaemonNotifyTests.configure(d, DaemonNotifyTests.hook(receiver.baseURL, on: "[disk_low, disk_ok]")
            + "min_free_space: 8MiB\n")
        try d.write(job: "etl", """
            schedule: "@every 10s"
            notify: [{ to: [hook], on: [failure] }]
            tasks:
              extract: { run: "echo extracted" }
              fetch: { run: "echo fetched" }
            """)
        // About 4 MiB left free: under the 8 MiB asked.
        let filler = d.home + "/filler"
        try Data(count: 12 << 20).write(to: URL(fileURLWithPath: filler))
        try await d.start()
        try await d.advance(to: ClockedDaemon.at(10.5), runsEnd: false)

        let store = try d.store()
        let bothWait = await eventually(within: TestTiming.patience) {
            let tasks = (try? store.run(1))?.tasks ?? []
            return tasks.count == 2 && tasks.allSatisfy { $0.status == .ready && $0.reason?.hasPrefix("waiting for disk space: ") == true }
        }
        #expect(bothWait, "both tasks wait for disk space:\n\(d.logs.text)")
        let low = try await DaemonNotifyTests.delivered(d, count: 1)
        #expect(low.map(\.kind) == ["disk_low"])
        // Each waiting attempt looks every second (DiskSpaceGuard.pollInterval): 2.5 s is at
        // least two more looks of each of the two, none of which may tell the record again.
        let told = { (type: EventType) in ((try? store.events(after: 0, limit: 10_000)) ?? []).filter { $0.type == type } }
        let again = await eventually(within: .milliseconds(2_500)) { told(.diskLow).count > 1 }
        #expect(!again, "disk_low is told once per wait episode: \(told(.diskLow))")
        let event = try #require(told(.diskLow).first)
        #expect(event.job == "etl" && event.runID == 1 && ["extract", "fetch"].contains(event.task ?? ""))
        #expect(event.detail?.hasSuffix("free in \(d.home), min_free_space needs 8MiB; new attempts wait until space returns") == true,
                "\(event.detail ?? "no detail")")

        try FileManager.default.removeItem(atPath: filler)
        let ended = await eventually(within: TestTiming.patience) { (try? store.run(1))?.summary.status == .succeeded }
        #expect(ended, "the run starts and ends once space returns:\n\(d.logs.text)")
        let both = try await DaemonNotifyTests.delivered(d, count: 2)
        #expect(both.map(\.kind) == ["disk_low", "disk_ok"])
        #expect(told(.diskLow).count == 1 && told(.diskOk).count == 1)

        let bodies = try receiver.requests().map { request in
            try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        }
        #expect(bodies.map { $0["type"] as? String } == ["disk_low", "disk_ok"])
        #expect(bodies.map { $0["job"] as? String } == ["etl", "etl"])
        let texts = bodies.map { $0["text"] as? String ?? "" }
        #expect(texts.first?.hasPrefix("etl waits for disk space (run 1): ") == true, "\(texts)")
        #expect(texts.last?.hasPrefix("etl has disk space again (run 1): ") == true, "\(texts)")
        #expect(texts.last?.hasSuffix("min_free_space needs 8MiB; the waiting attempts start") == true, "\(texts)")
    }
}
