/// Reads the start and end marks tasks append to a shared file and measures how many ran at once.
///
/// A task appends `start RUN.TASK.ATTEMPT NANOS` when it begins and `end RUN.TASK.ATTEMPT NANOS`
/// before it exits, with ``startLine(_:)`` and ``endLine(_:)`` (GNU `date +%s%N` gives the
/// nanoseconds).
public struct IntervalLog: Sendable, Hashable {
    /// One task's time on the CPU, in nanoseconds since the epoch.
    public struct Interval: Sendable, Hashable {
        public let name: String
        public let start: Int64
        public let end: Int64
    }

    public let intervals: [Interval]
    /// Marks that could not be paired (a start without its end, an unreadable line).
    public let unpaired: [String]

    /// A shell snippet appending this task's start mark to `file`.
    public static func startLine(_ file: String) -> String {
        "echo \"start $GNOMON_RUN_ID.$GNOMON_TASK.$GNOMON_ATTEMPT $(date +%s%N)\" >> '\(file)'"
    }

    /// A shell snippet appending this task's end mark to `file`.
    public static func endLine(_ file: String) -> String {
        "echo \"end $GNOMON_RUN_ID.$GNOMON_TASK.$GNOMON_ATTEMPT $(date +%s%N)\" >> '\(file)'"
    }

    /// A task body: start mark, `sleep SECONDS`, end mark.
    public static func busy(_ file: String, seconds: String) -> String {
        "\(startLine(file)); sleep \(seconds); \(endLine(file))"
    }

    /// A task body that makes the limit show even on a loaded machine: start mark, then wait
    /// (up to 5 s) until `barrier` tasks have started, then `sleep SECONDS`, end mark.
    ///
    /// A limit of `barrier` is then reached for certain when it is respected, and a runner that
    /// starts more tasks than that still shows them overlapping.
    public static func busy(_ file: String, seconds: String, barrier: Int) -> String {
        let wait = "i=0; while [ \"$(grep -c '^start ' '\(file)')\" -lt \(barrier) ] && [ $i -lt 250 ]; do sleep 0.02; i=$((i+1)); done"
        return "\(startLine(file)); \(wait); sleep \(seconds); \(endLine(file))"
    }

    public init(text: String) {
        var starts: [String: Int64] = [:]
        var intervals: [Interval] = []
        var unpaired: [String] = []
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 3, let time = Int64(parts[2]) else {
                unpaired.append(String(line))
                continue
            }
            let name = String(parts[1])
            switch parts[0] {
            case "start": starts[name] = time
            case "end":
                if let start = starts.removeValue(forKey: name) {
                    intervals.append(Interval(name: name, start: start, end: time))
                } else {
                    unpaired.append(String(line))
                }
            default: unpaired.append(String(line))
            }
        }
        self.intervals = intervals.sorted { $0.start < $1.start }
        self.unpaired = unpaired + starts.keys.sorted().map { "start \($0) without end" }
    }

    /// The most intervals that overlap at any instant (touching ends do not overlap).
    public var maxOverlap: Int {
        // Ends sort before starts at the same instant, so back-to-back tasks count once.
        var events: [(time: Int64, delta: Int)] = []
        for interval in intervals {
            events.append((interval.start, 1))
            events.append((interval.end, -1))
        }
        events.sort { (a: (time: Int64, delta: Int), b: (time: Int64, delta: Int)) -> Bool in
            a.time != b.time ? a.time < b.time : a.delta < b.delta
        }
        var current = 0, most = 0
        for (_, delta) in events {
            current += delta
            most = max(most, current)
        }
        return most
    }
}
