import Foundation
import GnomonCore
import GnomonStore
import Testing

extension DaemonIntegrationTests {
    @Test
    func jobFilesEditedBrokenFixedAddedAndRemovedWhileRunning() async throws {
        let h = try DaemonHarness()
        let job = { (word: String) in "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"echo \(word)\" }\n" }
        try h.write(job: "edit", job("v1"))
        try h.write(job: "other", "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"true\" }\n")
        try await h.startDaemon()
        let printed = { (word: String) in
            try h.runs(of: "edit").contains { run in run.attempts.contains { h.output($0).contains(word) } }
        }
        #expect(await h.waitUntil(timeout: 4) { try printed("v1") })

        try h.write(job: "edit", job("v2"))
        #expect(await h.waitUntil(timeout: 5) { try printed("v2") }, "an edited file is picked up within seconds")

        // Broken: the problem is logged with file:line, `gnomon jobs` shows it, the job keeps firing
        // its last valid definition and the other job is untouched.
        try h.write(job: "edit", "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"echo v3\", retry: lots }\n")
        #expect(await h.waitUntil(timeout: 5) { h.log.contains("edit.yaml:3:") }, "\(h.log)")
        let listing = try await h.cli(["jobs"])
        #expect(listing.out.contains("INVALID") && listing.out.contains("edit.yaml:3"), "\(listing.out)")
        let brokenAt = Date()
        try await Task.sleep(for: .milliseconds(2500))
        let whileBroken = try h.runs(of: "edit").filter { $0.summary.scheduledAt > brokenAt }
        #expect(whileBroken.count >= 1)
        #expect(whileBroken.allSatisfy { $0.snapshot.tasks.first?.action == .shell("echo v2") })
        #expect(try h.runs(of: "other").contains { $0.summary.scheduledAt > brokenAt })
        #expect(!(try printed("v3")))

        // Fixed, a job added, a job removed.
        try h.write(job: "edit", job("v4"))
        try h.write(job: "added", "schedule: \"@every 1s\"\ntasks:\n  a: { run: \"true\" }\n")
        try h.remove(job: "other")
        #expect(await h.waitUntil(timeout: 5) { try printed("v4") })
        #expect(await h.waitUntil(timeout: 5) { try !h.runs(of: "added").isEmpty })
        let removedAt = Date().addingTimeInterval(0.5)
        try await Task.sleep(for: .milliseconds(2000))
        #expect(try h.runs(of: "other").allSatisfy { $0.summary.scheduledAt < removedAt })

        // SIGHUP reloads at once (an edit is otherwise noticed at the next two-second poll).
        try h.write(job: "edit", job("v5"))
        kill(h.daemon!.processIdentifier, SIGHUP)
        #expect(await h.waitUntil(timeout: 4) { try printed("v5") })
        #expect(h.log.contains("SIGHUP"))
        #expect(await h.stopDaemon() == 0)
    }

    @Test
    func overlapPolicies() async throws {
        let h = try DaemonHarness()
        for policy in ["skip", "queue", "replace", "allow"] {
            try h.write(job: "o\(policy)", """
                schedule: "@every 1s"
                overlap: \(policy)
                tasks:
                  a: { run: "sleep 1.6" }
                """)
        }
        try await h.startDaemon(["--shutdown-grace", "5s"])
        try await Task.sleep(for: .milliseconds(5500))
        try h.write(job: "done", "tasks:\n  a: { run: \"true\" }\n")
        for policy in ["skip", "queue", "replace", "allow"] { _ = try await h.cli(["pause", "o\(policy)"]) }
        #expect(await h.waitUntil(timeout: 10) { try h.store().unfinishedRuns().allSatisfy { $0.summary.status == .queued } })
        await h.stopDaemon()

        func overlapping(_ runs: [RunDetail]) -> Bool {
            let spans = runs.compactMap { run -> (Date, Date)? in
                guard let start = run.summary.startedAt, let end = run.summary.finishedAt else { return nil }
                return (start, end)
            }.sorted { $0.0 < $1.0 }
            return zip(spans, spans.dropFirst()).contains { $1.0 < $0.1 }
        }
        let skip = try h.runs(of: "oskip")
        #expect(try h.ticks("oskip").contains { $0.decision == .skippedOverlap && ($0.detail ?? "").contains("still running") })
        #expect(!overlapping(skip) && skip.count >= 2)

        let queue = try h.runs(of: "oqueue")
        let queueTicks = try h.ticks("oqueue")
        #expect(queueTicks.contains { $0.decision == .queued })
        #expect(queueTicks.contains { $0.decision == .skippedOverlap }, "a second time while one is queued is skipped")
        #expect(!overlapping(queue) && queue.count >= 3)

        let replace = try h.runs(of: "oreplace")
        #expect(replace.contains { $0.summary.status == .cancelled && ($0.summary.reason ?? "").contains("replaced") })
        #expect(try h.ticks("oreplace").contains { $0.decision == .replaced })

        let allow = try h.runs(of: "oallow")
        #expect(overlapping(allow) && allow.count >= 4)
    }

    @Test
    func catchupPoliciesAfterDowntime() async throws {
        let h = try DaemonHarness()
        for policy in ["none", "latest", "all"] {
            try h.write(job: "c\(policy)", """
                schedule: "@every 1s"
                catchup: \(policy)
                tasks:
                  a: { run: "true" }
                """)
        }
        try await h.startDaemon()
        #expect(await h.waitUntil(timeout: 4) {
            try ["cnone", "clatest", "call"].allSatisfy { try h.ticks($0).contains { $0.decision == .started } }
        })
        await h.stopDaemon()
        let stoppedAt = Date()
        // A job added while the daemon is down starts from its first sight: no catch-up.
        try h.write(job: "cnew", "schedule: \"@every 1s\"\ncatchup: all\ntasks:\n  a: { run: \"true\" }\n")
        try await Task.sleep(for: .milliseconds(3300))
        let restartedAt = Date()
        try await h.startDaemon()
        try await Task.sleep(for: .milliseconds(1500))
        await h.stopDaemon()

        func after(_ job: String) throws -> [Tick] { try h.ticks(job).filter { $0.fireTime > stoppedAt } }
        let none = try after("cnone")
        #expect(none.filter { $0.decision == .missed }.count >= 2 && !none.contains { $0.decision == .caughtUp }, "\(none)")
        let latest = try after("clatest")
        #expect(latest.filter { $0.decision == .caughtUp }.count == 1, "\(latest)")
        #expect(latest.filter { $0.decision == .missed }.count >= 1)
        let all = try after("call")
        #expect(all.filter { $0.decision == .caughtUp }.count >= 3 && !all.contains { $0.decision == .missed }, "\(all)")
        #expect(try h.runs(of: "call").filter { $0.summary.trigger == .catchup }.count >= 3)
        #expect(try h.ticks("cnew").allSatisfy { $0.fireTime > restartedAt && $0.decision == .started })
    }
}
