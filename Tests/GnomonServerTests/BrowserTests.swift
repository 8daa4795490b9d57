import Foundation
import GnomonExecution
import GnomonTesting
import Testing

/// The web UI in a real headless Chromium against a real daemon with real tasks.
@Suite("Web UI in a browser", .needsBrowser, .serialized)
struct BrowserTests {
    /// A task `slow` that prints a line, waits for the file `gate` of the test's folder, prints
    /// another; `prepare` before it, `report` after it (an `after` edge).
    static func gatedJob(_ home: TemporaryHome, gate: String = "gate") -> String {
        """
        tasks:
          prepare:
            run: echo preparing
          slow:
            run: |
              echo "first line"
              while [ ! -e '\(home.path(gate))' ]; do sleep 0.05; done
              echo "second line"
            depends_on: [prepare]
          report:
            run: echo report
            after: [slow]
        """
    }

    @Test("sign in, open a job, trigger it, and watch a task turn from running to succeeded without reloading")
    func triggerAndWatch() async throws {
        try await BrowserHarness.run("trigger and watch", jobs: { ["gated": Self.gatedJob($0)] }) { ui in
            let browser = ui.browser
            try await browser.click("header nav a[href='/jobs']")
            try await browser.click("tr[data-job='gated'] a[href='/jobs/gated']")
            try await ui.waitForText("main h1", "gated")
            _ = try await browser.execute("window.__sameDocument = 'yes'; return true")
            try await browser.click("#trigger-submit")
            let running = try await browser.waitFor("#graph [data-task='slow'][data-state='running']", within: .seconds(20))
            let label = try await browser.text(running)
            #expect(label.contains("running"), "the node says its state in words too: \(label)")
            let url = try await browser.currentURL()
            try #require(url.contains("/runs/"), "the trigger form leads to the new run's page (got \(url))")
            try ui.open(gate: "gate")
            _ = try await browser.waitFor("#graph [data-task='slow'][data-state='succeeded']", within: .seconds(20))
            try await ui.waitForText("#run-status", "succeeded", within: .seconds(20))
            let same = try await browser.execute("return window.__sameDocument === 'yes'") as? Bool
            try #require(same == true, "the page changed without being reloaded")
        }
    }

    @Test("the log view opens at the tail and follows a log that grows")
    func logGrows() async throws {
        try await BrowserHarness.run("log grows", jobs: { ["gated": Self.gatedJob($0)] }) { ui in
            let id = try await ui.trigger("gated")
            try await ui.browser.open("\(ui.daemon.url)/runs/\(id)?task=slow")
            try await ui.waitForText("#log", "first line", within: .seconds(20))
            let before = try await ui.browser.text(try await ui.browser.waitFor("#log"))
            #expect(!before.contains("second line"))
            try ui.open(gate: "gate")
            try await ui.waitForText("#log", "second line", within: .seconds(20))
            let download = try await ui.browser.attribute("href", of: try await ui.browser.waitFor("#log-download"))
            #expect(download?.hasSuffix("/attempts/1/log?download=1") == true, "the raw log is linked: \(download ?? "none")")
        }
    }

    @Test("a run is killed from its page")
    func killFromPage() async throws {
        try await BrowserHarness.run("kill", jobs: { ["gated": Self.gatedJob($0, gate: "never")] }) { ui in
            let id = try await ui.trigger("gated")
            try await ui.browser.open("\(ui.daemon.url)/runs/\(id)")
            _ = try await ui.browser.waitFor("#graph [data-task='slow'][data-state='running']", within: .seconds(20))
            let kill = try await ui.browser.waitFor("#kill")
            try await ui.browser.click(kill)
            try await ui.browser.click(kill)
            try await ui.waitForText("#run-status", "cancelled", within: .seconds(30))
            let status = try await ui.runStatus(id)
            #expect(status == "cancelled")
        }
    }

    @Test("a foreach task is one node counted by state; its instances are listed under it and each one opens its own log")
    func foreachInstances() async throws {
        let job = """
            tasks:
              chunk:
                foreach: [alpha, "b c", gamma]
                command: [sh, -c, 'echo "item is $1"; [ "$1" != gamma ]', sh, "${{ item }}"]
            """
        try await BrowserHarness.run("foreach", jobs: { _ in ["fan": job] }) { ui in
            let id = try await ui.trigger("fan")
            _ = await eventually(within: .seconds(30), every: .milliseconds(50)) { try await ui.runStatus(id) == "failed" }
            try await ui.browser.open("\(ui.daemon.url)/runs/\(id)?task=chunk")
            try await ui.waitUntil("the graph node shows the instances counted by state", within: .seconds(20), """
                const node = document.querySelector("g.node[data-task='chunk']");
                return !!node && node.textContent.includes('foreach 3 items: 1 failed, 2 succeeded');
                """)
            #expect(try await ui.browser.findAll("g.node").count == 1, "one node for the foreach task, none per instance")
            try await ui.waitForText("#instances", "foreach 3 items", within: .seconds(20))
            let list = try await ui.browser.text(try await ui.browser.waitFor("#instances"))
            #expect(list.contains("chunk[2]") && list.contains("b c"), "\(list)")
            #expect(try await ui.browser.findAll("#tasks tr.instance").count == 3, "the instances are rows under their task")
            try await ui.browser.click("#instances a[data-task='chunk[1]']")
            try await ui.waitForText("#task-detail", "Instance 1 of chunk, item b c", within: .seconds(20))
            try await ui.waitForText("#task-detail", "item is b c", within: .seconds(20))
        }
    }

    @Test("a task's outputs are shown on its run page")
    func outputsShown() async throws {
        let job = """
            tasks:
              measure:
                run: |
                  echo "day=2026-11-30" >> "$GNOMON_OUTPUT"
                  printf 'files<<END\\na b.txt\\nc.txt\\nEND\\n' >> "$GNOMON_OUTPUT"
            """
        try await BrowserHarness.run("outputs", jobs: { _ in ["measure": job] }) { ui in
            let id = try await ui.trigger("measure")
            _ = await eventually(within: .seconds(30), every: .milliseconds(50)) { try await ui.runStatus(id) == "succeeded" }
            try await ui.browser.open("\(ui.daemon.url)/runs/\(id)?task=measure")
            try await ui.waitForText("#outputs", "day", within: .seconds(20))
            let text = try await ui.browser.text(try await ui.browser.waitFor("#outputs"))
            #expect(text.contains("Outputs of attempt #1"), "\(text)")
            #expect(text.contains("2026-11-30"), "\(text)")
            #expect(text.contains("a b.txt\nc.txt"), "a multi-line value keeps its lines: \(text)")
        }
    }

    /// What a Slurm attempt leaves behind is written over a local one (its job id in the store, its
    /// last state beside its log): the run page shows them as it would for a real cluster's.
    @Test("a Slurm attempt's job id, node and state are shown under its number")
    func slurmAttemptShown() async throws {
        try await BrowserHarness.run("slurm attempt", jobs: { _ in ["train": "tasks:\n  fit:\n    run: echo fitted\n"] }) { ui in
            let id = try await ui.trigger("train")
            _ = await eventually(within: .seconds(30), every: .milliseconds(50)) { try await ui.runStatus(id) == "succeeded" }
            let sql = "UPDATE attempts SET slurm_job_id = '117' WHERE run_id = \(id) RETURNING log_path"
            let output = try await ProcessSpawner.shared.runCapturingOutput(
                ["/usr/bin/sqlite3", "-bail", "-cmd", ".timeout 10000", ui.home.database, sql], environment: TemporaryHome.taskEnvironment)
            let log = output.outputText.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(output.status == .exited(code: 0) && !log.isEmpty, "sqlite3: \(output.errorText)")
            try "117\tnode7\tCOMPLETED on node7\n".write(toFile: log + ".slurm", atomically: true, encoding: .utf8)
            try await ui.browser.open("\(ui.daemon.url)/runs/\(id)?task=fit")
            try await ui.waitForText("#attempts", "Slurm job 117 on node7 · COMPLETED on node7", within: .seconds(20))
        }
    }

    /// 10 layers of 100 tasks, each after one task of the layer before.
    static let thousandTasks: String = {
        var lines = ["tasks:"]
        for i in 0..<1000 {
            lines.append("  t\(i):")
            lines.append("    run: \"true\"")
            if i >= 100 { lines.append("    depends_on: [t\(i - 100)]") }
        }
        return lines.joined(separator: "\n")
    }()

    /// How fast the page is ready is measured by `scripts/bench ui`, not here.
    @Test("a 1,000-task run's page loads and draws only the visible part of the graph")
    func thousandTaskRun() async throws {
        try await BrowserHarness.run("thousand tasks", jobs: { _ in ["big": Self.thousandTasks] }) { ui in
            let id = try await ui.trigger("big")
            _ = await eventually(within: .seconds(180), every: .milliseconds(200)) { try await ui.runStatus(id) == "succeeded" }
            try #require(try await ui.runStatus(id) == "succeeded", "the 1,000-task run finished")
            let started = ContinuousClock.now
            try await ui.browser.open("\(ui.daemon.url)/runs/\(id)")
            try await ui.waitUntil("the run page's first drawing", within: .seconds(30),
                                   "return document.querySelector('main[data-ready=yes]') !== null")
            let elapsed = ContinuousClock.now - started
            let sinceNavigation = try await ui.browser.execute("return performance.now()") as? Double ?? -1
            let drawn = try await ui.browser.execute("return document.querySelectorAll('#graph .node').length") as? Int ?? -1
            let rows = try await ui.browser.execute("return document.querySelectorAll('#tasks tbody tr').length") as? Int ?? -1
            print("1,000-task run page: ready \(Int(elapsed.seconds * 1000)) ms after the WebDriver open call "
                + "(\(Int(sinceNavigation)) ms since navigation start), \(drawn) graph nodes and \(rows) table rows in the DOM")
            try await ui.waitForText("#counts", "1000 tasks")
            #expect(drawn > 0 && drawn < 300, "only the visible part of the graph is drawn (\(drawn) nodes)")
            #expect(rows == 100, "the task table shows one page of 100")
        }
    }

    /// `gate` waits for the file `gate` of the test's folder; 9,999 tasks depend on it.
    static func tenThousandTasks(_ home: TemporaryHome) -> String {
        var lines = ["tasks:", "  gate:", "    run: |", "      echo \"first line\"",
                     "      while [ ! -e '\(home.path("gate"))' ]; do sleep 0.05; done"]
        for i in 1..<10_000 {
            lines.append("  t\(i):")
            lines.append("    run: \"true\"")
            lines.append("    depends_on: [gate]")
        }
        return lines.joined(separator: "\n")
    }

    /// The page's time to show its data is measured by `scripts/bench ui`, not here.
    @Test("a 10,000-task run's page shows counts and a filterable page of tasks instead of the graph, and follows the run")
    func tenThousandTaskRun() async throws {
        try await BrowserHarness.run("ten thousand tasks", jobs: { ["big": Self.tenThousandTasks($0)] }) { ui in
            let id = try await ui.trigger("big")
            try await ui.browser.open("\(ui.daemon.url)/runs/\(id)")
            try await ui.waitUntil("the big run page's first drawing", within: .seconds(30),
                                   "return document.querySelector('main[data-ready=yes]') !== null")
            try await ui.waitForText("#counts", "10000 tasks", within: .seconds(20))
            try await ui.waitForText("#run-summary", "Too many tasks to draw")
            let graphs = try await ui.browser.execute("return document.querySelectorAll('#graph').length") as? Int ?? -1
            #expect(graphs == 0, "no graph is drawn for 10,000 tasks")
            let rows = try await ui.browser.execute("return document.querySelectorAll('#tasks tbody tr').length") as? Int ?? -1
            #expect(rows == 100, "the task table shows one page of 100 (got \(rows))")
            try await ui.waitForText("#tasks-range", "1–100 of 10000")
            try await ui.browser.click("#tasks-next")
            try await ui.waitForText("#tasks-range", "101–200 of 10000")

            // By state (the count is a button, its state said in words), then by name prefix.
            try await ui.browser.click("#counts button[data-state='waiting']")
            try await ui.waitForText("#tasks-range", "1–100 of 9999")
            try await ui.browser.type("t999", into: try await ui.browser.waitFor("#tasks input[type=search]"))
            try await ui.waitForText("#tasks-range", "1–11 of 11")
            let names = try await ui.browser.execute(
                "return [...document.querySelectorAll('#tasks tbody tr')].map((r) => r.dataset.task).join(' ')") as? String ?? ""
            #expect(names == "t999 " + (0...9).map { "t999\($0)" }.joined(separator: " "), "the waiting tasks whose names start t999: \(names)")

            // A task off the page is reachable by its link: its attempts and its log.
            try await ui.browser.open("\(ui.daemon.url)/runs/\(id)?task=gate")
            try await ui.waitForText("#task-detail", "Task gate", within: .seconds(20))
            try await ui.waitForText("#log", "first line", within: .seconds(20))
            _ = try await ui.browser.waitFor("#attempts")

            // Live: the gate's success reaches the counts without a reload.
            _ = try await ui.browser.execute("window.__sameDocument = 'yes'; return true")
            try ui.open(gate: "gate")
            try await ui.waitUntil("the counts to show succeeded tasks", within: .seconds(60),
                                   "return document.querySelector(\"#counts button[data-state='succeeded']\") !== null")
            try await ui.waitForText("#task-detail", "succeeded", within: .seconds(20))
            let same = try await ui.browser.execute("return window.__sameDocument === 'yes'") as? Bool
            #expect(same == true, "the page followed the run without being reloaded")
        }
    }
}
