// gnomon-bench: micro-benchmarks for Gnomon's hot paths. Run in release:
//
//     swift run -c release gnomon-bench cron
//
// Each benchmark lives in its own file and is listed here.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

let benchmarks: [(name: String, summary: String, run: () -> Void)] = [
    ("cron", "successive fire times per second for typical schedules", CronBenchmark.run),
]

let arguments = CommandLine.arguments.dropFirst()
let usage = "usage: gnomon-bench <benchmark>\n\nbenchmarks:\n"
    + benchmarks.map { "  \($0.name)  \($0.summary)" }.joined(separator: "\n")

switch arguments.first {
case nil, "-h", "--help", "help":
    print(usage)
case let name?:
    guard let benchmark = benchmarks.first(where: { $0.name == name }) else {
        print("gnomon-bench: unknown benchmark \"\(name)\"\n\n\(usage)")
        exit(2)
    }
    benchmark.run()
}
