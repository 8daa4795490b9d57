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
    struct ProbeError: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ arguments: [String]) throws {
        guard let directory = arguments.first else {
            throw ProbeError(description: "usage: gnomon-bench fsprobe DIR [FILES]")
        }
        let count = arguments.count > 1 ? Int(arguments[1]) ?? 320 : 320
        let folders = 8
        let clock = ContinuousClock()
        try makeFolder(directory)
        var slowest = Duration.zero
        for folder in 0..<folders {
            let path = "\(directory)/probe-\(folder)"
            try makeFolder(path)
            var costs: [Duration] = []
            for index in 0..<max(1, count / folders) {
                let start = clock.now
                let descriptor = open("\(path)/\(index).log", O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
                guard descriptor >= 0 else { throw ProbeError(description: "cannot create a file in \(path): errno \(errno)") }
                close(descriptor)
                costs.append(clock.now - start)
            }
            costs.sort()
            slowest = max(slowest, costs[costs.count / 2])
        }
        let (seconds, attoseconds) = slowest.components
        print(seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }

    private static func makeFolder(_ path: String) throws {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw ProbeError(description: "cannot create \(path): errno \(errno)")
        }
    }
}
