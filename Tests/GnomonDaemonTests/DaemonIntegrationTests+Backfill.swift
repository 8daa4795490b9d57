import Foundation
import GnomonCore
import GnomonStore
import GnomonTesting
import Testing

/// Backfills driven by the daemon: handed over by `gnomon backfill` (which follows them), adopted
/// after their driver died (a SIGKILLed daemon, a SIGKILLed foreground command), suspended by a
/// drain and continued at the next start.
extension DaemonIntegrationTests {
    static let month = ["--from", "2026-11-01", "--to", "2026-11-30"]
    static let days = (1...30).map { String(format: "2026-11-%02dT02:00:00Z", $0) }
    /// The fire time whose run the interruption tests catch mid-flight.
    static let caughtDay = "2026-11-10T02:00:00Z"

    /// A daily job whose task appends its fire time to `attempts` at each attempt, and on
    /// `caughtDay` waits (up to 60 s) for `marker` before it succeeds.
    static func dailyWaiting(attempts: String, marker: String) -> String {
        """
        schedule: "0 2 * * *"
        tasks:
          work:
            run: echo "$GNOMON_SCHEDULED_TIME" >> '\(attempts)'; if [ "$GNOMON_SCHEDULED_TIME" = "\(caughtDay)" ]; then i=0; while [ ! -f '\(marker)' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done; fi
        """
    }

    struct HandOverCase: CustomTestStringConvertible, Sendable {
        let name: String
        let maxActive: Int?
        /// How many runs may run at once (and, as the barrier makes certain, do at some point).
        let overlap: Int
        /// `--no-follow`: the command returns at once.
        var follow = true
        var testDescription: String { name }
    }

    static let handOverCases: [HandOverCase] = [
        HandOverCase(name: "one run at a time by default", maxActive: nil, overlap: 1),
        HandOverCase(name: "--max-active 3: three at once, never four", maxActive: 3, overlap: 3),
        HandOverCase(name: "--no-follow: handed over, the command returns at once", maxActive: 2, overlap: 2, follow: false),
    ]

    @Test("a month of a daily job handed to the running daemon, followed to the end", arguments: handOverCases)
    func backfillHandedToTheDaemon(_ c: HandOverCase) async throws {
        let h = try DaemonHarness()
        let intervals = h.root + "/intervals", reached = h.root + "/days"
        try h.write(job: "daily", """
            schedule: "0 2 * * *"
            tasks:
              work:
                run: echo "$GNOMON_SCHEDULED_TIME" >> '\(reached)'; \(IntervalLog.busy(intervals, seconds: "0.05", barrier: c.overlap))
            """)
        try await h.startDaemon()
        let daemonPID = try #require(h.daemon?.pid)
        let limit = c.maxActive.map { ["--max-active", String($0)] } ?? []
        let result = try await h.cli(["backfill", "daily"] + Self.month + limit + (c.follow ? [] : ["--no-follow"]))
        #expect(result.status == 0, "\(result)\n\(h.log)")
        let lines = result.out.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("backfill 1 of daily: 30 fire time(s)") == true, "\(result)")
        if c.follow {
            #expect(lines.contains("the daemon (pid \(daemonPID)) drives backfill 1; following it (Ctrl-C stops only the following)"), "\(result)")
            #expect(lines.last == "backfill 1 succeeded: 30 run(s)", "\(result)")
            #expect(lines.filter { $0.hasSuffix(" started") }.count == 30 && lines.filter { $0.hasSuffix(" succeeded") }.count == 30,
                    "the follower prints each run's start and end once:\n\(result.out)")
        } else {
            #expect(lines.count == 2 && lines.last?.hasPrefix("backfill 1 handed to the daemon (pid \(daemonPID))") == true, "\(result)")
            #expect(await h.waitUntil(timeout: 60) { try h.store().backfill(1)?.state == .succeeded }, "\(h.log)")
        }

        let runs = try h.runs(of: "daily")
        #expect(runs.count == 30, "\(runs.map(\.id))")
        #expect(runs.map { ISOTime.utc($0.summary.scheduledAt) } == Self.days, "oldest first: ids follow the fire times")
        for run in runs {
            #expect(run.summary.trigger == .backfill && run.summary.status == .succeeded, "run \(run.id): \(run.summary)")
            #expect(run.summary.runnerPID == daemonPID, "run \(run.id) was created by pid \(run.summary.runnerPID), not the daemon")
            #expect(run.summary.runnerInstance.hasPrefix("daemon-"))
        }
        #expect(h.log.contains("backfill adopted"), "\(h.log)")
        #expect(h.log.contains("backfill 1 succeeded: 30 run(s)"), "\(h.log)")
        let seen = (try? String(contentsOfFile: reached, encoding: .utf8)) ?? ""
        // Runs that may overlap append in whichever order their tasks get there first.
        let seenTimes = seen.split(separator: "\n").map(String.init)
        #expect((c.overlap == 1 ? seenTimes : seenTimes.sorted()) == Self.days, "GNOMON_SCHEDULED_TIME as the tasks saw it")
        let log = IntervalLog(text: (try? String(contentsOfFile: intervals, encoding: .utf8)) ?? "")
        #expect(log.intervals.count == 30 && log.unpaired.isEmpty, "\(log)")
        #expect(log.maxOverlap == c.overlap, "\(log)")
        #expect(Self.mostAtOnce(runs) <= c.overlap, "the store's started/finished times show more than \(c.overlap) runs at once")
        #expect(try h.store().backfill(1)?.state == .succeeded)
        await h.stopDaemon()
    }

    @Test("Ctrl-C of the follower stops only the following: the daemon finishes the backfill")
    func followerInterrupted() async throws {
        let h = try DaemonHarness()
        let attempts = h.root + "/attempts", marker = h.root + "/marker"
        try h.write(job: "daily", Self.dailyWaiting(attempts: attempts, marker: marker))
        try await h.startDaemon()
        let follower = try h.launch(["backfill", "daily"] + Self.month + ["--jobs", h.jobs, "--home", h.home],
                                    stdout: h.root + "/follower.out")
        #expect(await h.waitUntil(timeout: 30) {
            try h.runs(of: "daily").contains { ISOTime.utc($0.summary.scheduledAt) == Self.caughtDay && $0.summary.status == .running }
        }, "\(h.log)")
        follower.send(SIGINT)
        #expect(await follower.exitCode() == 5)
        let said = (try? String(contentsOfFile: h.root + "/follower.out", encoding: .utf8)) ?? ""
        #expect(said.hasSuffix("stopped following backfill 1; its driver goes on with it, and the same command follows it again\n"), "\(said)")
        FileManager.default.createFile(atPath: marker, contents: nil)
        #expect(await h.waitUntil(timeout: 60) { try h.store().backfill(1)?.state == .succeeded }, "\(h.log)")
        let runs = try h.runs(of: "daily")
        #expect(runs.count == 30 && runs.allSatisfy { $0.summary.status == .succeeded && $0.attempts.count == 1 }, "\(runs.map(\.summary))")
        await h.stopDaemon()
    }

    /// The most runs of `runs` running at one instant by their recorded start and finish times
    /// (a finish and a start at the same instant do not overlap).
    static func mostAtOnce(_ runs: [RunDetail]) -> Int {
        var events: [(Date, Int)] = []
        for run in runs {
            guard let start = run.summary.startedAt, let end = run.summary.finishedAt else { continue }
            events.append((start, 1))
            events.append((end, -1))
        }
        events.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var current = 0, most = 0
        for (_, delta) in events {
            current += delta
            most = max(most, current)
        }
        return most
    }

    struct InterruptionCase: CustomTestStringConvertible, Sendable {
        let name: String
        /// How the driver is stopped while the caught day's run is mid-flight.
        let interrupt: Interruption
        /// What the caught day's first attempt is recorded as.
        let firstOutcome: AttemptOutcome
        var testDescription: String { name }
    }

    enum Interruption: Sendable {
        /// The daemon drives the backfill; it gets this signal.
        case daemon(Int32)
        /// A foreground `gnomon backfill` drives it (no daemon runs) and is SIGKILLed; the daemon
        /// starts after the kill, or (`daemonFirst`) while the foreground driver still lives.
        case foreground(daemonFirst: Bool)
    }

    static let interruptionCases: [InterruptionCase] = [
        InterruptionCase(name: "daemon SIGKILLed, restarted: its recovery and the backfill go on",
                         interrupt: .daemon(SIGKILL), firstOutcome: .lost),
        InterruptionCase(name: "daemon drained by SIGTERM: the run is suspended and continued at the next start",
                         interrupt: .daemon(SIGTERM), firstOutcome: .interrupted),
        InterruptionCase(name: "foreground driver SIGKILLed, then a daemon starts and adopts the backfill",
                         interrupt: .foreground(daemonFirst: false), firstOutcome: .lost),
        InterruptionCase(name: "a daemon starts beside a live foreground driver, which is then SIGKILLed",
                         interrupt: .foreground(daemonFirst: true), firstOutcome: .lost),
    ]

    /// Asserts: one run per fire time (30), all succeeded; the task's attempts: one per fire time
    /// except the caught day, which has two (the first recorded `firstOutcome`, not counted against
    /// its retry limit of 0; the second exited 0); runs created before the interruption kept.
    @Test("a backfill interrupted mid-flight completes with every fire time run once", arguments: interruptionCases)
    func backfillInterrupted(_ c: InterruptionCase) async throws {
        let h = try DaemonHarness()
        let attempts = h.root + "/attempts", marker = h.root + "/marker"
        try h.write(job: "daily", Self.dailyWaiting(attempts: attempts, marker: marker))
        let store = try h.store()
        let caught = { () throws -> RunDetail? in
            try h.runs(of: "daily").first { ISOTime.utc($0.summary.scheduledAt) == Self.caughtDay }
        }
        let midFlight = { () throws -> Bool in try caught()?.attempts.first?.pgid != nil }
        var firstDriverPID: Int32 = 0

        switch c.interrupt {
        case .daemon(let signal):
            try await h.startDaemon(["--shutdown-grace", "1s"])
            firstDriverPID = try #require(h.daemon?.pid)
            let follower = try h.launch(["backfill", "daily"] + Self.month + ["--jobs", h.jobs, "--home", h.home],
                                        stdout: h.root + "/follower.out")
            #expect(await h.waitUntil(timeout: 30, midFlight), "the caught day's run never started:\n\(h.log)")
            #expect(await h.stopDaemon(signal: signal) != nil)
            // The follower sees nobody drive the backfill any more.
            #expect(await follower.exitCode() == 5)
            let said = (try? String(contentsOfFile: h.root + "/follower.out", encoding: .utf8)) ?? ""
            #expect(said.contains("nobody drives backfill 1 now"), "\(said)")
            if signal == SIGTERM { #expect(h.log.contains("backfill suspended; it continues when it is adopted again"), "\(h.log)") }
        case .foreground(let daemonFirst):
            let driver = try h.launch(["backfill", "daily"] + Self.month + ["--jobs", h.jobs, "--home", h.home],
                                      stdout: h.root + "/driver.out")
            firstDriverPID = driver.pid
            #expect(await h.waitUntil(timeout: 30, midFlight), "the caught day's run never started")
            if daemonFirst {
                try await h.startDaemon()
                // The daemon polls for backfills every second; two polls pass before the kill.
                #expect(await h.waitUntil(timeout: 10) { h.log.components(separatedBy: "jobs loaded").count > 1 })
                try await Task.sleep(for: .milliseconds(2500))
                #expect(!h.log.contains("backfill adopted"), "the daemon took the backfill of a live driver:\n\(h.log)")
            }
            driver.send(SIGKILL)
            #expect(await driver.exitCode() != 0)
        }
        let before = try h.runs(of: "daily")
        #expect(before.count == 10, "with --max-active 1, days 1 to 10 have runs: \(before.map(\.id))")
        #expect(before.allSatisfy { $0.summary.runnerPID == firstDriverPID })
        if h.daemon == nil { try await h.startDaemon() }
        let secondDaemon = try #require(h.daemon?.pid)

        // The same command follows the adopted backfill to its end. The caught day's task waits
        // for the marker, made only once the command follows: the daemon cannot finish the
        // backfill first (then the command would find nothing to run).
        let following = try h.launch(["backfill", "daily"] + Self.month + ["--jobs", h.jobs, "--home", h.home],
                                     stdout: h.root + "/followed.out", stderr: h.root + "/followed.err")
        let read = { (name: String) in (try? String(contentsOfFile: h.root + "/" + name, encoding: .utf8)) ?? "" }
        #expect(await h.waitUntil(timeout: 30) { read("followed.out").contains("resuming backfill 1") },
                "\(read("followed.out"))\(read("followed.err"))\n\(h.log)")
        FileManager.default.createFile(atPath: marker, contents: nil)
        let status = await following.exitCode()
        let followed = (status: status, out: read("followed.out"), err: read("followed.err"))
        #expect(followed.status == 0, "\(followed)\n\(h.log)")
        #expect(followed.out.hasPrefix("resuming backfill 1 of daily: 30 fire time(s)"), "\(followed)")
        #expect(followed.out.hasSuffix("backfill 1 succeeded: 30 run(s)\n"), "\(followed)")
        #expect(try store.backfill(1)?.state == .succeeded)

        let runs = try h.runs(of: "daily")
        #expect(runs.map { ISOTime.utc($0.summary.scheduledAt) } == Self.days, "one run per fire time, oldest first")
        #expect(Set(before.map(\.id)).isSubset(of: Set(runs.map(\.id))), "runs created before the interruption were kept")
        for run in runs {
            let when = ISOTime.utc(run.summary.scheduledAt)
            #expect(run.summary.trigger == .backfill && run.summary.status == .succeeded, "\(when): \(run.summary)")
            let outcomes = run.attempts.filter { $0.task == "work" }.map(\.outcome)
            if when == Self.caughtDay {
                #expect(outcomes == [c.firstOutcome, .exited(code: 0)], "\(when): \(outcomes)")
                #expect(run.summary.runnerPID == secondDaemon, "the caught run is continued by the daemon")
            } else {
                #expect(outcomes == [.exited(code: 0)], "\(when) ran \(outcomes.count) times: \(outcomes)")
            }
            if run.summary.scheduledAt > (before.last?.summary.scheduledAt ?? .distantFuture) {
                #expect(run.summary.runnerPID == secondDaemon, "\(when) was created by pid \(run.summary.runnerPID)")
            }
        }
        let seen = ((try? String(contentsOfFile: attempts, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        #expect(seen.sorted() == (Self.days + [Self.caughtDay]).sorted(), "attempts as the tasks saw them: \(seen)")
        await h.stopDaemon()
    }
}
