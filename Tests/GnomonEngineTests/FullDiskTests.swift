import Foundation
import Glibc
import GnomonCore
import GnomonEngine
import GnomonExecution
import GnomonStore
import GnomonTesting
import Testing

/// A home on a real, small file system (a 2 MiB tmpfs, mounted by the test as root and unmounted
/// at its end) filled by a task.
@Suite("A full disk", .enabled(if: getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true",
                                 "mounting a tmpfs needs root"))
struct FullDiskTests {
    static func mountOrUnmount(_ argv: [String]) async throws {
        let output = try await ProcessSpawner.shared.runCapturingOutput(argv, environment: ["PATH": "/usr/bin:/bin"])
        guard output.status == .exited(code: 0) else {
            throw TestSetupError("\(argv.joined(separator: " ")) failed: \(output.errorText)")
        }
    }

    @Test("a task fills the home: its run ends recorded, new attempts wait with the reason, and start when space returns")
    func fillAndFree() async throws {
        let home = try TemporaryHome()
        try FileManager.default.createDirectory(atPath: home.home, withIntermediateDirectories: true)
        try await Self.mountOrUnmount(["/bin/mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", home.home])
        // The engine's database connections close when the last reference to them goes, which
        // the runs' tasks may still hold: a lazy unmount detaches the file system at once and
        // frees it when they do.
        let unmount = ["/bin/umount", "--lazy", home.home]
        do {
            try await fill(home)
        } catch {
            try? await Self.mountOrUnmount(unmount)
            throw error
        }
        try await Self.mountOrUnmount(unmount)
    }

    private func fill(_ home: TemporaryHome) async throws {
        let engine = try home.engine()
        let filler = home.home + "/filler"
        // Outside the tmpfs: the task says it has finished filling.
        let marker = home.path("filled")
        let fill = JobSpec(name: "fill", tasks: [TaskSpec(name: "fill", action: .shell(
            "head -c 8388608 /dev/zero > \(filler); status=$?; touch \(marker); exit $status"))], directory: home.jobs)
        let filling = Task { try await runToEnd(fill, in: home, engine: engine) }
        let full = await eventually(within: .seconds(30)) { FileManager.default.fileExists(atPath: marker) }
        #expect(full, "the task has filled the disk")
        // The disk is full: the run's end may not be recordable yet; its runner keeps it and
        // records it once there is room. Leave 300 KiB, below a min_free_space of 512 KiB.
        engine.disk.rule = .bytes(512 << 10)
        var info = stat()
        #expect(stat(filler, &info) == 0)
        #expect(truncate(filler, info.st_size - 300 << 10) == 0)
        let filled = try await filling.value
        // head could not write it all: the task failed, and the run's end is recorded.
        #expect(filled.status == .failed)
        #expect(try engine.store.run(filled.id)?.summary.status == .failed)
        #expect(filled.outcomes("fill") == [.exited(code: 1)])

        // Too little free space: the next attempt waits, its task ready with the reason, until
        // space returns.
        let echo = JobSpec(name: "later", tasks: [TaskSpec(name: "hello", action: .shell("echo hello"))], directory: home.jobs)
        let prepared = try engine.prepareNewRun(job: try echo.validated(), trigger: .manual, scheduledAt: Date())
        let running = Task { try await execute(prepared, engine: engine) }
        let waited = await eventually(within: .seconds(30)) {
            let task = try? engine.store.run(prepared.id)?.tasks.first
            return task?.status == .ready && task?.reason?.hasPrefix("waiting for disk space: ") == true
        }
        #expect(waited, "the task waits for disk space, with the reason recorded")
        let waiting = try #require(try engine.store.run(prepared.id))
        #expect(waiting.attempts.isEmpty)
        #expect(waiting.tasks.first?.reason?.hasSuffix("free in \(home.home), min_free_space needs 512KiB") == true,
                "\(waiting.tasks.first?.reason ?? "no reason")")

        try FileManager.default.removeItem(atPath: filler)
        let done = try await running.value
        #expect(done.status == .succeeded)
        #expect(done.task("hello").reason == nil)
        #expect(home.read(done.detail.attempts.first?.logPath ?? "") == "hello\n")
    }
}
