import Foundation
import GnomonCore
import GnomonJobFiles

/// Shared inputs for the job-file tests.
enum Fixtures {
    /// The repository's root folder (this file is Tests/GnomonJobFilesTests/Fixtures.swift).
    static let repositoryRoot: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Loads `text` as `jobs/etl.yaml`.
    static func load(_ text: String, path: String = "jobs/etl.yaml") -> JobFileResult {
        JobFileLoader.load(text: text, path: path)
    }

    /// The descriptions of the diagnostics loading `text` gives.
    static func problems(_ text: String, path: String = "jobs/etl.yaml") -> [String] {
        load(text, path: path).diagnostics.map(\.description)
    }

    /// The example from the format's description, using every key.
    static let fullExample = """
        description: Nightly orders ETL
        schedule: { cron: "30 2 * * 1-5", timezone: Europe/Dublin, jitter: 2m }
        overlap: queue
        catchup: all
        paused: true
        timeout: 2h
        concurrency: 4
        defaults:
          retry: 2
          timeout: 30m
          env: { TZ: UTC, MODE: nightly }
          workdir: work
        tasks:
          extract:
            run: ./extract.sh --date "$GNOMON_SCHEDULED_TIME"
          transform:
            command: [python3, transform.py, 7]
            depends_on: [extract]
            retry: { limit: 4, delay: 10s, backoff: 2, max_delay: 10m, jitter: 0.1, on_exit_codes: [1, 75] }
            env: { MODE: full, DEBUG: true }
          load:
            container:
              image: localhost/loader:1.2
              command: [load, --table, orders]
              env: { MODE: full }
              mounts: ["./data:/data:ro"]
              cpus: 1.5
              memory: 512m
              network: none
              workdir: /srv
              user: "1000:1000"
              pull: never
            depends_on: [transform]
          report:
            run: ./report.sh
            after: [load]
            workdir: reports
            timeout: 5m
        """

    /// What `fullExample` means, loaded as `jobs/etl.yaml`.
    static var fullExampleSpec: JobSpec {
        let defaultsEnv = ["TZ": "UTC", "MODE": "nightly"]
        return JobSpec(
            name: "etl",
            description: "Nightly orders ETL",
            schedule: ScheduleSpec(expression: "30 2 * * 1-5", timeZone: "Europe/Dublin", jitter: .seconds(120)),
            overlap: .queue,
            catchup: .all,
            paused: true,
            timeout: .seconds(7200),
            concurrency: 4,
            tasks: [
                TaskSpec(name: "extract", action: .shell("./extract.sh --date \"$GNOMON_SCHEDULED_TIME\""),
                         retry: RetryPolicy(limit: 2), timeout: .seconds(1800), env: defaultsEnv, workdir: "work"),
                TaskSpec(name: "transform", action: .command(["python3", "transform.py", "7"]),
                         dependsOn: ["extract"],
                         retry: RetryPolicy(limit: 4, delay: .seconds(10), backoff: 2, maxDelay: .seconds(600),
                                            jitter: 0.1, onExitCodes: [1, 75]),
                         timeout: .seconds(1800), env: ["TZ": "UTC", "MODE": "full", "DEBUG": "true"], workdir: "work"),
                TaskSpec(name: "load",
                         action: .container(ContainerSpec(
                            image: "localhost/loader:1.2", command: ["load", "--table", "orders"],
                            env: ["MODE": "full"], mounts: ["./data:/data:ro"], workdir: "/srv", user: "1000:1000",
                            cpus: 1.5, memory: "512m", network: "none", pull: .never)),
                         dependsOn: ["transform"],
                         retry: RetryPolicy(limit: 2), timeout: .seconds(1800), env: defaultsEnv, workdir: "work"),
                TaskSpec(name: "report", action: .shell("./report.sh"), after: ["load"],
                         retry: RetryPolicy(limit: 2), timeout: .seconds(300), env: defaultsEnv, workdir: "reports"),
            ],
            directory: FileManager.default.currentDirectoryPath + "/jobs")
    }
}
