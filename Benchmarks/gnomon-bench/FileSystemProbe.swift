#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `fsprobe DIR [FILES]`: creates FILES empty files (default 300) in a new folder DIR, the way an
/// attempt's log is created, and prints the median microseconds per file. On ext4 without a
/// journal this is 30-50 µs normally and up to a millisecond for a minute or more after many
/// files were deleted (Docs/performance.md); scripts/bench waits for it to settle.
enum FileSystemProbe {
    struct Usage: Error, CustomStringConvertible {
        let description = "usage: gnomon-bench fsprobe DIR [FILES]"
    }

    static func run(_ arguments: [String]) throws {
        guard let directory = arguments.first else { throw Usage() }
        let count = arguments.count > 1 ? Int(arguments[1]) ?? 300 : 300
        guard mkdir(directory, 0o755) == 0 || errno == EEXIST else {
            throw ProbeError(description: "cannot create \(directory): errno \(errno)")
        }
        var costs: [Double] = []
        costs.reserveCapacity(count)
        for index in 0..<count {
            let start = now()
            let descriptor = open("\(directory)/probe-\(index).log", O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else { throw ProbeError(description: "cannot create a file in \(directory): errno \(errno)") }
            close(descriptor)
            costs.append(now() - start)
        }
        costs.sort()
        print(String(Int(costs[costs.count / 2].rounded())))
    }

    struct ProbeError: Error, CustomStringConvertible {
        let description: String
    }

    /// Monotonic microseconds.
    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) * 1e6 + Double(time.tv_nsec) / 1e3
    }
}
