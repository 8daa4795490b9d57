// swift-tools-version:6.0
import PackageDescription

// Layers point one way; Docs/architecture.md lists what each module may import, and
// scripts/check-layers (run by scripts/test) holds every source file to that list:
// gnomon (CLI) -> GnomonApp -> GnomonDaemon -> GnomonEngine -> GnomonStore, GnomonExecution -> GnomonCore
// GnomonJobFiles (YAML -> ValidJob) sits beside the store and execution, above the core.
let package = Package(
    name: "Gnomon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gnomon", targets: ["gnomon"]),
        .library(name: "GnomonCore", targets: ["GnomonCore"]),
        .library(name: "GnomonJobFiles", targets: ["GnomonJobFiles"]),
        .library(name: "GnomonStore", targets: ["GnomonStore"]),
        .library(name: "GnomonExecution", targets: ["GnomonExecution"]),
        .library(name: "GnomonEngine", targets: ["GnomonEngine"]),
        .library(name: "GnomonDaemon", targets: ["GnomonDaemon"]),
        .library(name: "GnomonNotify", targets: ["GnomonNotify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    ],
    targets: [
        // Pure domain: job model, task graph, cron, durations, retry policy, run state machine.
        .target(name: "GnomonCore"),
        // Job files: YAML text in, a ValidJob (spec, task graph, parsed schedule) or every problem
        // with its position out; the jobs folder's rules.
        .target(name: "GnomonJobFiles", dependencies: [
            "GnomonCore",
            // Only for CYaml (libyaml), a target of the Yams package that no product of its own
            // exposes: the composer reads libyaml's events itself.
            .product(name: "Yams", package: "Yams"),
        ]),
        // Persistence: runs, tasks, attempts, ticks in SQLite (WAL) through GRDB.
        .target(name: "GnomonStore", dependencies: [
            "GnomonCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // The C side of GnomonExecution: the vfork + execve spawn (a vfork child may run only
        // async-signal-safe C until it execs), pidfd_open and waits for one pid, memfd, mallopt,
        // and the process loop's epoll and eventfd.
        .target(name: "CGnomonSpawn"),
        // Local processes and container launches: vfork spawns, exits watched through pidfds on the
        // one process loop thread, group kills, the podman/docker CLI.
        .target(name: "GnomonExecution", dependencies: ["GnomonCore", "CGnomonSpawn"]),
        // The C side of GnomonNotify: libcurl's easy interface (HTTP POST, SMTP with STARTTLS and
        // AUTH; Swift cannot call the variadic curl_easy_setopt) and libcrypto's HMAC-SHA256.
        // Debian: libcurl4-openssl-dev and libssl-dev (scripts/setup).
        .target(name: "CGnomonCurl", linkerSettings: [.linkedLibrary("dl")]),
        // HTTP requests through CGnomonCurl (any method, headers, a body, a streamed answer), awaited
        // on a thread of their own: the alert senders' and the CLI's client of a remote daemon.
        .target(name: "GnomonHTTPClient", dependencies: ["CGnomonCurl"]),
        // Alert senders: one alert to one channel (webhook, email, PagerDuty, command).
        .target(name: "GnomonNotify", dependencies: ["GnomonCore", "GnomonExecution", "CGnomonCurl", "GnomonHTTPClient"]),
        // The DAG engine: runs a job's graph through the executors, recording every change.
        .target(name: "GnomonEngine", dependencies: ["GnomonCore", "GnomonStore", "GnomonExecution"]),
        // Schedules: fires each job once per intended time, catch-up, overlap, triggers, pause,
        // reload, crash recovery.
        .target(name: "GnomonDaemon", dependencies: [
            "GnomonCore", "GnomonJobFiles", "GnomonStore", "GnomonExecution", "GnomonEngine", "GnomonNotify",
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The system zlib (Debian: zlib1g-dev, scripts/setup): the raw deflate of gzip-encoded
        // event streams.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // The daemon's HTTP server (Hummingbird): routes as data, bearer tokens and roles, browser
        // sessions with CSRF protection, JSON errors, body limits, streamed answers. No Gnomon domain.
        .target(name: "GnomonServer", dependencies: [
            "CZlib",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // What each command does and prints, its exit status, and the process's standard streams;
        // the JSON API's handlers and the web UI, served by GnomonServer inside the daemon.
        .target(name: "GnomonApp", dependencies: [
            "GnomonCore", "GnomonJobFiles", "GnomonStore", "GnomonExecution", "GnomonEngine", "GnomonDaemon", "GnomonNotify",
            "GnomonServer", "GnomonHTTPClient", .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "gnomon", dependencies: [
            "GnomonApp",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Test doubles for the test targets: job builders, a temporary home, a recording executor, a manual clock,
        // real HTTP and SMTP receivers.
        // The real receivers' python3 programs sit beside their Swift files, read from there.
        .target(
            name: "GnomonTesting", dependencies: ["GnomonCore", "GnomonStore", "GnomonExecution", "GnomonEngine"],
            exclude: ["Receivers/http-receiver.py", "Receivers/smtp-receiver.py", "Slurm/slurm-cluster.sh"]),
        .executableTarget(name: "gnomon-bench", dependencies: ["GnomonCore", "GnomonStore"], path: "Benchmarks/gnomon-bench"),
        .executableTarget(name: "spawn-bench", dependencies: ["GnomonExecution"], path: "Benchmarks/spawn-bench"),
        .testTarget(name: "GnomonCoreTests", dependencies: ["GnomonCore"]),
        .testTarget(name: "GnomonJobFilesTests", dependencies: ["GnomonJobFiles", "GnomonCore"]),
        .testTarget(name: "GnomonStoreTests", dependencies: [
            "GnomonStore", "GnomonCore", "GnomonExecution", "GnomonTesting",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "GnomonExecutionTests", dependencies: ["GnomonExecution", "GnomonCore", "GnomonTesting"]),
        .testTarget(name: "GnomonEngineTests", dependencies: [
            "GnomonEngine", "GnomonStore", "GnomonExecution", "GnomonCore", "GnomonTesting",
        ]),
        .testTarget(name: "GnomonDaemonTests", dependencies: [
            "GnomonDaemon", "GnomonEngine", "GnomonStore", "GnomonExecution", "GnomonJobFiles", "GnomonCore",
            "GnomonTesting", .product(name: "Logging", package: "swift-log"),
        ]),
        // Container tasks against a real podman and the test image built by scripts/setup.
        .testTarget(name: "GnomonContainerTests", dependencies: ["GnomonExecution", "GnomonCore", "GnomonTesting"]),
        // Slurm tasks against a real single-node cluster started by the tests (slurm-wlm, munge).
        .testTarget(name: "GnomonSlurmTests", dependencies: [
            "GnomonExecution", "GnomonEngine", "GnomonStore", "GnomonCore", "GnomonTesting",
        ]),
        // The senders against real local receivers (python3's http.server, aiosmtpd, openssl).
        .testTarget(name: "GnomonNotifyTests", dependencies: [
            "GnomonNotify", "GnomonCore", "GnomonExecution", "GnomonTesting",
        ]),
        // GnomonApp's commands called in-process: output and exit status.
        .testTarget(name: "GnomonAppTests", dependencies: [
            "GnomonApp", "GnomonEngine", "GnomonStore", "GnomonNotify", "GnomonDaemon", "GnomonTesting",
        ]),
        // The HTTP server and API on a real port, with a real store and real tasks.
        .testTarget(name: "GnomonServerTests", dependencies: [
            "CZlib", "GnomonServer", "GnomonApp", "GnomonDaemon", "GnomonEngine", "GnomonStore", "GnomonCore", "GnomonExecution", "GnomonTesting",
        ]),
        .testTarget(name: "GnomonCLITests", dependencies: [
            "GnomonApp", "GnomonCore", "GnomonStore", "GnomonExecution", "GnomonTesting",
        ]),
    ],
    swiftLanguageModes: [.v6]
)
