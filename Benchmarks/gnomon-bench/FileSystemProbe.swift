#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `fsprobe DIR [FILES]`: creates FILES empty files (default 320) the way attempts' logs are
/// created, spread over 8 new folders inside DIR (a new folder may land in another block group,
/// as each new home does), and prints the median microseconds per file of the slowest folder.
/// On ext4 without a journal this is 30-60 µs normally and up to a millisecond for minutes after
/// many files were deleted in that group (Docs/performance.md); scripts/bench waits for it.
enum FileSystemProbe {
    struct Usage: Error, CustomStringConvertible {
        let description = "usage: gnomon-bench fsprobe DIR [FILES]"
    }

    static func run(_ arguments: [String]) throws {
        guard let directory = arguments.first else { throw Usage() }
        let count = arguments.count > 1 ? Int(arguments[1]) ?? 320 : 320
        let folders = 8
        try makeFolder(directory)
        var slowest = 0.0
        for folder in 0..<folders {
            let path = "\(directory)/probe-\(folder)"
            try makeFolder(path)
            var costs: [Double] = []
            for index in 0..<max(1, count / folders) {
                let start = now()
                let descriptor = open("\(path)/\(index).log", O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
                guard descriptor >= 0 else { throw ProbeError(description: "cannot create a file in \(path): errno \(errno)") }
                close(descriptor)
                costs.append(now() - start)
            }
            costs.sort()
            slowest = max(slowest, costs[costs.count / 2])
        }
        print(String(Int(slowest.rounded())))
    }

    private static func makeFolder(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw ProbeError(description: "cannot create \(path): errno \(errno)")
        }
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
