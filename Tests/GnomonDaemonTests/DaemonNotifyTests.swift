import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Logging
import Testing
@testable import GnomonDaemon

/// Alerts from a daemon on a manual clock to a real local HTTP receiver.
@Suite(.timeLimit(.minutes(2)), .needsReceivers)
struct DaemonNotifyTests {
    static func settings(url: String, after: Int = 1) -> String {
        """
        channels:
          hook: { webhook: { url: "\(url)/hook" } }
        notify:
          - to: [hook]
            on: [failure, recovery]
            after_consecutive_failures: \(after)
        """
    }

    static func job(exit code: Int) -> String {
        "schedule: \"@every 10s\"\ntasks:\n  load: { run: \"echo loading; exit \(code)\", retry: 0 }\n"
    }

    /// A receiver answering 200, recording into the daemon's folder.
    static func receiver(_ d: ClockedDaemon, _ name: String = "receiver") async throws -> HTTPReceiver {
        try await HTTPReceiver.start(in: d.root + "/" + name, behaviour: .answer(status: 200, body: "ok"))
    }

    /// Writes the daemon's settings file and points its options at it.
    static func configure(_ d: ClockedDaemon, _ yaml: String) throws {
        try yaml.write(toFile: d.root + "/gnomon.yaml", atomically: true, encoding: .utf8)
        d.options.configPath = d.root + "/gnomon.yaml"
    }

    /// Rules sending `on` to one webhook channel `hook`.
    static func hook(_ url: String, on: String) -> String {
        "channels:\n  hook: { webhook: { url: \"\(url)/hook\" } }\nnotify:\n  - { to: [hook], on: \(on) }\n"
    }

    /// Waits until the notifier has read every event recorded so far.
    static func caughtUp(_ d: ClockedDaemon) async throws {
        let store = try d.store()
        let last = try store.lastEventID()
        // The notifier reads at each of its polls (every second of the manual clock).
        let done = await eventually(within: TestTiming.patience, every: .milliseconds(5)) {
            d.clock.advance(by: .milliseconds(100))
            return ((try? store.eventCursor(Notifier.reader)) ?? 0) >= last
        }
        try #require(done, "the notifier did not read the event record:\n\(d.logs.text)")
    }

    static func delivered(_ d: ClockedDaemon, count: Int) async throws -> [Delivery] {
        let store = try d.store()
        let done = await eventually(within: TestTiming.patience, every: .milliseconds(10)) {
            d.clock.advance(by: .milliseconds(100))
            return ((try? store.deliveries(limit: 100)) ?? []).filter { $0.state == "delivered" }.count >= count
        }
        try #require(done, "\(count) alert(s) were not delivered:\n\(d.logs.text)")
        return try store.deliveries(limit: 100).reversed()
    }

    @Test("one failure alert for a streak of failures, then one recovery, with the webhook's fields")
    func streakAndRecovery() async throws {
        let d = try ClockedDaemon()
        let receiver = try await DaemonNotifyTests.receiver(d)
        defer { Task { await receiver.stop() } }
        try Self.configure(d, Self.settings(url: receiver.baseURL))
        try d.write(job: "etl", Self.job(exit: 3))
        try await d.start()

        try await d.advance(to: ClockedDaemon.at(10.5))
        var deliveries = try await Self.delivered(d, count: 1)
        try await d.advance(to: ClockedDaemon.at(20.5))
        try await Self.caughtUp(d)
        deliveries = try d.store().deliveries(limit: 100)
        #expect(deliveries.count == 1, "the second failure of the streak alerts nobody: \(deliveries)")

        try d.write(job: "etl", Self.job(exit: 0))
        try await d.advance(to: ClockedDaemon.at(30.5))
        deliveries = try await Self.delivered(d, count: 2)
        try await d.stop()

        let requests = try receiver.requests()
        #expect(requests.map(\.path) == ["/hook", "/hook"])
        #expect(deliveries.map(\.kind) == ["failure", "recovery"])
        let failure = try #require(try JSONSerialization.jsonObject(with: Data(requests[0].body)) as? [String: Any])
        #expect(failure["type"] as? String == "failure")
        #expect(failure["job"] as? String == "etl")
        #expect(failure["run_id"] as? Int == 1)
        #expect(failure["status"] as? String == "failed")
        #expect(failure["consecutive_failures"] as? Int == 1)
        #expect(failure["event_id"] as? Int == Int(deliveries[0].eventID))
        #expect(failure["text"] as? String == "etl failed (run 1): task load exit 3")
        let tasks = try #require(failure["failed_tasks"] as? [[String: Any]])
        #expect(tasks.first?["task"] as? String == "load")
        #expect(tasks.first?["exit_code"] as? Int == 3)
        #expect((tasks.first?["log_tail"] as? String)?.contains("loading") == true)
        let recovery = try #require(try JSONSerialization.jsonObject(with: Data(requests[1].body)) as? [String: Any])
        #expect(recovery["type"] as? String == "recovery")
        #expect(recovery["run_id"] as? Int == 3)
        #expect(recovery["previous_status"] as? String == "failed")
    }

    @Test("a receiver that is down gets the alert once it is back; nothing else waits for it")
    func receiverDown() async throws {
        let d = try ClockedDaemon()
        let port = try HTTPReceiver.closedPort()
        let other = try await Self.receiver(d, "other")
        defer { Task { await other.stop() } }
        try Self.configure(d, """
            channels:
              hook: { webhook: { url: "http://127.0.0.1:\(port)/hook" } }
              other: { webhook: { url: "\(other.baseURL)/other" } }
            notify:
              - { to: [hook, other], on: [failure, recovery] }
            """)
        try d.write(job: "etl", Self.job(exit: 3))
        try await d.start()
        try await d.advance(to: ClockedDaemon.at(10.5))
        let store = try d.store()
        // Both channels are sent to at once: the refused connection may be recorded before the
        // answering channel's request has come back, so wait for both first tries.
        let tried = await eventually(within: TestTiming.patience, every: .milliseconds(10)) {
            d.clock.advance(by: .milliseconds(100))
            let deliveries = (try? store.deliveries(limit: 10)) ?? []
            return ["hook", "other"].allSatisfy { channel in deliveries.contains { $0.channel == channel && $0.tries >= 1 } }
        }
        try #require(tried, "\(d.logs.text)")
        // The channel that answers got its alert on the first try, not held back by the one down
        // (which has not been tried a second time yet).
        let first = try store.deliveries(limit: 10).first { $0.channel == "other" }
        #expect(first?.state == "delivered" && first?.tries == 1, "\(String(describing: first))")
        #expect(try store.deliveries(limit: 10).first { $0.channel == "hook" }?.tries == 1)
        #expect(try other.requests().count == 1)
        let failed = try #require(try store.deliveries(limit: 10).first { $0.channel == "hook" })
        #expect(failed.state == "pending")
        #expect(failed.lastError?.contains("could not connect to 127.0.0.1 port \(port)") == true, "\(failed)")
        // The schedule goes on meanwhile.
        try await d.advance(to: ClockedDaemon.at(20.5))
        #expect(try d.runs(of: "etl").count == 2)

        let receiver = try await HTTPReceiver.start(in: d.root + "/receiver", behaviour: .answer(status: 204, body: ""), port: port)
        defer { Task { await receiver.stop() } }
        let deliveries = try await Self.delivered(d, count: 2).filter { $0.channel == "hook" }
        try await d.stop()
        #expect(deliveries.count == 1)
        #expect(deliveries[0].answer == "HTTP 204")
        #expect(try receiver.requests().count == 1)
    }
}

/// A run notified by its foreground runner is not notified again by a daemon reading the same
/// events later, and its failure counts once.
@Suite(.needsReceivers)
struct NotifiedOnceTests {
    @Test("the daemon's notifier skips what the runner already decided")
    func runnerThenDaemon() async throws {
        let home = try TemporaryHome()
        let store = try home.openStore()
        let receiver = try await HTTPReceiver.start(in: home.path("receiver"), behaviour: .answer(status: 200, body: "ok"))
        defer { Task { await receiver.stop() } }
        let job = JobBuilder("etl", directory: home.jobs).task("load", run: "exit 3").build()
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        let id = try store.createRun(NewRun(
            job: "etl", trigger: .manual, scheduledAt: t, createdAt: t, status: .running, snapshot: job,
            runnerPID: 1, runnerInstance: "runner", tasks: [NewTask(name: "load")]))
        try store.record([
            .taskStatus(run: id, task: "load", status: .failed, reason: "exit 3", retryAt: nil, at: t),
            .runStatus(run: id, status: .failed, reason: "task load failed", at: t),
        ])
        var settings = GnomonSettings()
        settings.channels = ["hook": .webhook(WebhookChannel(url: receiver.baseURL + "/hook"))]
        settings.notify = [NotifyRule(to: ["hook"], on: [.failure])]
        func notifier(_ holder: String) -> Notifier {
            let made = Notifier(store: store, clock: ManualClock(start: t), logger: Logger(label: "test"), holder: holder)
            made.configure(settings: settings, environment: [:])
            return made
        }

        await notifier("runner").notify(run: id, eventsAfter: 0, within: .seconds(10))
        #expect(try receiver.requests().count == 1)
        // A daemon starting afterwards reads the record from before the run.
        let daemon = notifier("daemon")
        #expect(try daemon.readEvents(now: t) > 0)
        await daemon.deliverDue(now: t.addingTimeInterval(3_600))
        #expect(try store.deliveries(limit: 10).count == 1)
        #expect(try store.alertMemories()["etl"]?.consecutiveFailures == 1)
        #expect(try receiver.requests().count == 1)
    }
}

/// The dead man's switch on a manual clock: a job paused by mistake alerts once per
/// `expect_success_every`, though nothing ran at all.
@Suite(.timeLimit(.minutes(2)), .needsReceivers)
struct DeadMansSwitchTests {
    @Test("no success for the interval: one alert per interval, counted again from each")
    func silentJob() async throws {
        let d = try ClockedDaemon(polls: (reload: .seconds(30), triggers: .seconds(30)))
        let receiver = try await DaemonNotifyTests.receiver(d)
        defer { Task { await receiver.stop() } }
        try DaemonNotifyTests.configure(d, DaemonNotifyTests.hook(receiver.baseURL, on: "[failure, late]"))
        try d.write(job: "etl", "schedule: \"@every 1m\"\npaused: true\nexpect_success_every: 5m\ntasks:\n  a: { run: \"true\" }\n")
        try await d.start()

        try await d.advance(to: ClockedDaemon.at(299))
        try await DaemonNotifyTests.caughtUp(d)
        #expect(try d.store().deliveries(limit: 10).isEmpty, "the interval has not passed yet")
        try await d.advance(to: ClockedDaemon.at(301))
        var deliveries = try await DaemonNotifyTests.delivered(d, count: 1)
        try await d.advance(to: ClockedDaemon.at(599))
        try await DaemonNotifyTests.caughtUp(d)
        #expect(try d.store().deliveries(limit: 10).count == 1, "told once per interval")
        try await d.advance(to: ClockedDaemon.at(610))
        deliveries = try await DaemonNotifyTests.delivered(d, count: 2)
        try await d.stop()
        #expect(deliveries.map(\.kind) == ["late", "late"])
        #expect(try d.runs(of: "etl").isEmpty, "the job is paused: nothing ran")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(try receiver.requests()[0].body)) as? [String: Any])
        #expect(body["type"] as? String == "late")
        #expect((body["text"] as? String)?.contains("no run succeeded since 2027-01-15T08:00:00Z") == true, "\(body)")
    }
}

/// Lateness on a manual clock: a run stuck behind a long one (overlap: queue) is told late once
/// for the streak, and the streak ends when a run starts in time.
@Suite(.timeLimit(.minutes(2)), .needsReceivers)
struct LateRunTests {
    @Test("a fire time whose run has not started late_after after it starts a late streak, told once")
    func lateStreak() async throws {
        let d = try ClockedDaemon(polls: (reload: .seconds(60), triggers: .seconds(60)))
        let receiver = try await DaemonNotifyTests.receiver(d)
        defer { Task { await receiver.stop() } }
        try DaemonNotifyTests.configure(d, DaemonNotifyTests.hook(receiver.baseURL, on: "[late]"))
        let marker = d.root + "/marker"
        try d.write(job: "etl", """
            schedule: "@every 1m"
            overlap: queue
            late_after: 30s
            tasks:
              a: { run: "while [ ! -f \(marker) ]; do sleep 0.02; done" }
            """)
        try await d.start()
        // 08:01 starts a run that waits for the marker; 08:02 and 08:03 wait behind it.
        try await d.advance(to: ClockedDaemon.at(60.5), runsEnd: false)
        // The run's start is recorded at the clock's time when the engine gets to it: let it, before
        // the clock moves on (else it would be late itself).
        let store = try d.store()
        #expect(await eventually(within: TestTiming.patience) { (try? store.run(1))?.summary.startedAt != nil })
        try await d.advance(to: ClockedDaemon.at(215), runsEnd: false)
        var deliveries = try await DaemonNotifyTests.delivered(d, count: 1)
        try await DaemonNotifyTests.caughtUp(d)
        #expect(try d.store().deliveries(limit: 10).count == 1, "one alert for the streak")
        FileManager.default.createFile(atPath: marker, contents: nil)
        try await d.advance(to: ClockedDaemon.at(400))
        try await DaemonNotifyTests.caughtUp(d)
        deliveries = try d.store().deliveries(limit: 10)
        try await d.stop()
        #expect(deliveries.map(\.kind) == ["late"])
        let body = try #require(try JSONSerialization.jsonObject(with: Data(try receiver.requests()[0].body)) as? [String: Any])
        #expect(body["type"] as? String == "late")
        #expect((body["text"] as? String)?.contains("no run for fire time 2027-01-15T08:02:00Z had started by 2027-01-15T08:02:30Z") == true,
                "\(body)")
        #expect(try d.store().alertMemories()["etl"]?.lateToldFor == nil, "runs started in time again: the streak is over")
    }
}

/// Every kind of channel at once, against real receivers: one alert each per failure and per
/// recovery; a channel whose secret is missing fails alone.
@Suite(.timeLimit(.minutes(2)), .needsReceivers)
struct EveryChannelTests {
    @Test("a failure: one webhook, one mail, one PagerDuty trigger; the recovery: the same, resolved with the same dedup_key")
    func everyChannel() async throws {
        let d = try ClockedDaemon()
        let hook = try await HTTPReceiver.start(in: d.root + "/hook", behaviour: .answer(status: 200, body: "ok"))
        let pager = try await HTTPReceiver.start(in: d.root + "/pager", behaviour: .answer(status: 202, body: "{}"))
        let mail = try await SMTPReceiver.start(in: d.root + "/mail")
        defer { Task { await hook.stop(); await pager.stop(); await mail.stop() } }
        try "pd-key-1\n".write(toFile: d.root + "/pd.key", atomically: true, encoding: .utf8)
        try """
            channels:
              chat: { webhook: { url: "\(hook.baseURL)/chat" } }
              team: { email: { host: 127.0.0.1, port: \(mail.port), starttls: false, from: gnomon@example.com, to: [data@example.com] } }
              oncall: { pagerduty: { url: "\(pager.baseURL)/enqueue", routing_key_file: pd.key } }
              broken: { pagerduty: { url: "\(pager.baseURL)/enqueue", routing_key_env: GNOMON_TEST_NO_SUCH_VARIABLE } }
            notify:
              - { to: [chat, team, oncall, broken], on: [failure, recovery] }
            """.write(toFile: d.root + "/gnomon.yaml", atomically: true, encoding: .utf8)
        d.options.configPath = d.root + "/gnomon.yaml"
        try d.write(job: "etl", DaemonNotifyTests.job(exit: 3))
        try await d.start()
        try await d.advance(to: ClockedDaemon.at(10.5))
        _ = try await DaemonNotifyTests.delivered(d, count: 3)
        try d.write(job: "etl", DaemonNotifyTests.job(exit: 0))
        try await d.advance(to: ClockedDaemon.at(20.5))
        let deliveries = try await DaemonNotifyTests.delivered(d, count: 6)
        try await d.stop()

        #expect(deliveries.filter { $0.state == "delivered" }.map { "\($0.kind) \($0.channel)" }.sorted() == [
            "failure chat", "failure oncall", "failure team", "recovery chat", "recovery oncall", "recovery team",
        ])
        let broken = deliveries.filter { $0.channel == "broken" }
        #expect(broken.count == 2 && broken.allSatisfy { $0.state == "pending" })
        #expect(broken.first?.lastError?.contains("channel broken") == true, "\(broken)")
        #expect(d.logs.contains("GNOMON_TEST_NO_SUCH_VARIABLE, which is not set"), "the missing secret is logged")

        #expect(try hook.requests().count == 2)
        let messages = try mail.messages()
        #expect(messages.count == 2)
        #expect(messages.first?.data.contains("Subject: [gnomon] etl failed (run 1)") == true, "\(messages.first?.data ?? "")")
        let bodies = try pager.requests().map { try #require(try JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]) }
        #expect(bodies.map { $0["event_action"] as? String } == ["trigger", "resolve"])
        #expect(Set(bodies.map { $0["dedup_key"] as? String }) == ["gnomon-etl"])
        #expect(bodies.allSatisfy { $0["routing_key"] as? String == "pd-key-1" })
    }
}

/// Retries are not alerts: a task retried five times gives one alert, for its run.
@Suite(.timeLimit(.minutes(2)), .needsReceivers)
struct RetriesAreNotAlertsTests {
    @Test("five retries, then the run fails: one failure alert; three failures in a row under after_consecutive_failures: 3, one")
    func retriesAndStreak() async throws {
        let d = try ClockedDaemon()
        let receiver = try await DaemonNotifyTests.receiver(d)
        defer { Task { await receiver.stop() } }
        try DaemonNotifyTests.configure(d, DaemonNotifyTests.settings(url: receiver.baseURL, after: 3))
        try d.write(job: "etl", "schedule: \"@every 10s\"\ntasks:\n  load: { run: \"exit 3\", retry: { limit: 5, delay: 0s } }\n")
        try await d.start()
        try await d.advance(to: ClockedDaemon.at(20.5))
        try await DaemonNotifyTests.caughtUp(d)
        #expect(try d.store().deliveries(limit: 10).isEmpty, "two failed runs, under the threshold of three")
        try await d.advance(to: ClockedDaemon.at(30.5))
        let deliveries = try await DaemonNotifyTests.delivered(d, count: 1)
        try await d.advance(to: ClockedDaemon.at(40.5))
        try await DaemonNotifyTests.caughtUp(d)
        try await d.stop()
        #expect(try d.runs(of: "etl").map { $0.attempts.count } == [6, 6, 6, 6], "each run tried its task six times")
        #expect(deliveries.map(\.kind) == ["failure"])
        #expect(try d.store().deliveries(limit: 10).count == 1, "the fourth failure of the streak alerts nobody")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(try receiver.requests()[0].body)) as? [String: Any])
        #expect(body["consecutive_failures"] as? Int == 3)
        #expect(body["run_id"] as? Int == 3)
    }
}
