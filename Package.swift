// swift-tools-version:6.0
import PackageDescription

// Layers point one way (see Docs/architecture.md):
// gnomon (CLI) -> GnomonDaemon -> GnomonEngine -> GnomonStore, GnomonExecution -> GnomonCore
// GnomonJobFiles (YAML -> JobSpec) sits beside the store and execution, above the core.
let package = Package(
    name: "Gnomon",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gnomon", targets: ["gnomon"]),
        .library(name: "GnomonCore", targets: ["GnomonCore"]),
        .library(name: "GnomonJobFiles", targets: ["GnomonJobFiles"]),
        .library(name: "GnomonExecution", targets: ["GnomonExecution"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Pure domain: job model, task graph, cron, durations, retry policy, run state machine.
        .target(name: "GnomonCore"),
        // Job files: YAML text in, JobSpec (with source positions) out.
        .target(name: "GnomonJobFiles", dependencies: [
            "GnomonCore",
            .product(name: "Yams", package: "Yams"),
        ]),
        // glibc's GNU spawn extensions (setsid, chdir, closefrom), which Swift's Glibc module hides.
        .target(name: "CGnomonSpawn"),
        // Local processes and containers: spawn in a new session, one reaper thread, timeouts, kills.
        .target(name: "GnomonExecution", dependencies: ["GnomonCore", "CGnomonSpawn"]),
        .executableTarget(name: "gnomon", dependencies: [
            "GnomonCore", "GnomonJobFiles",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "gnomon-bench", dependencies: ["GnomonCore"], path: "Benchmarks/gnomon-bench"),
        .executableTarget(name: "spawn-bench", dependencies: ["GnomonExecution"], path: "Benchmarks/spawn-bench"),
        .testTarget(name: "GnomonCoreTests", dependencies: ["GnomonCore"]),
        .testTarget(name: "GnomonJobFilesTests", dependencies: ["GnomonJobFiles", "GnomonCore"]),
        .testTarget(name: "GnomonExecutionTests", dependencies: ["GnomonExecution", "GnomonCore"]),
        // Container tasks against a real podman and the test image built by scripts/setup.
        .testTarget(name: "GnomonContainerTests", dependencies: ["GnomonExecution", "GnomonCore"]),
        .testTarget(name: "GnomonCLITests", dependencies: ["GnomonCore"]),
    ],
    swiftLanguageModes: [.v6]
)
