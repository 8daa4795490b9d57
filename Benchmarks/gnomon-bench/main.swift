// gnomon-bench: benchmarks and benchmark fixtures for Gnomon. Run in release:
//
//     swift run -c release gnomon-bench cron
//
// scripts/bench drives the fixtures (dag, filldb, fsprobe); each benchmark lives in its own file.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let benchmarks: [(name: String, summary: String, run: ([String]) throws -> Void)] = [
    ("cron", "successive fire times per second for typical schedules", { _ in CronBenchmark.run() }),
    ("dag", "write a benchmark graph as a job file and a Makefile (dag SHAPE COUNT DIR)", DagGenerator.run),
    ("record", "the store's two transactions per task of a chain (record [HOME] [TASKS])", RecordBenchmark.run),
    ("fsprobe", "microseconds to create a file as for a log, slowest of 8 new folders (fsprobe DIR [FILES])", FileSystemProbe.run),
    ("filldb", "fill a home with a long run history through GnomonStore (filldb HOME [RUNS] [ATTEMPTS] [JOBS])", FillDatabase.run),
]

let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: gnomon-bench <benchmark> [arguments]\n\nbenchmarks:\n"
    + benchmarks.map { "  \($0.name)  \($0.summary)" }.joined(separator: "\n")

switch arguments.first {
case nil, "-h", "--help", "help":
    print(usage)
case let name?:
    guard let benchmark = benchmarks.first(where: { $0.name == name }) else {
        print("gnomon-bench: unknown benchmark \"\(name)\"\n\n\(usage)")
        exit(2)
    }
    do {
        try benchmark.run(Array(arguments.dropFirst()))
    } catch {
        let message = Array("gnomon-bench: \(error)\n".utf8)
        _ = message.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        exit(1)
    }
}
