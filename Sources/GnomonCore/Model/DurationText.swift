/// Parses and formats the durations job files use: `90s`, `15m`, `1h30m`, `2d`, `250ms`, or a bare
/// integer of seconds.
public enum DurationText {
    /// Why a duration could not be read.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case malformed(String)
        case tooLarge(String)

        public var description: String {
            switch self {
            case .empty:
                return "duration is empty; write it like 90s, 15m, 1h30m, 2d or a number of seconds"
            case .malformed(let text):
                return "\"\(text)\" is not a duration; write it like 90s, 15m, 1h30m, 2d or a number of seconds"
            case .tooLarge(let text):
                return "duration \"\(text)\" is longer than the maximum of \(maximumDays) days"
            }
        }
    }

    /// The longest duration accepted anywhere: ten years is more than any batch job needs and keeps
    /// every later computation far from overflow.
    public static let maximumDays: Int64 = 3650

    private static let unitMilliseconds: [(String, Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Parses `text` into a duration.
    public static func parse(_ text: String) -> Result<Duration, Problem> {
        let trimmed = text.trimmingWhitespace()
        if trimmed.isEmpty { return .failure(.empty) }
        if let seconds = Int64(trimmed) {
            guard seconds >= 0 else { return .failure(.malformed(text)) }
            guard seconds <= maximumDays * 86_400 else { return .failure(.tooLarge(text)) }
            return .success(.seconds(seconds))
        }
        var total: Int64 = 0
        var rest = Substring(trimmed)
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 12, let value = Int64(digits) else {
                return .failure(.malformed(text))
            }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isASCII && $0.isLetter }
            guard let unit = unitMilliseconds.first(where: { $0.0 == letters.lowercased() }) else {
                return .failure(.malformed(text))
            }
            rest = rest.dropFirst(letters.count)
            let (product, overflow) = value.multipliedReportingOverflow(by: unit.1)
            guard !overflow else { return .failure(.tooLarge(text)) }
            total += product
            guard total <= maximumDays * 86_400_000 else { return .failure(.tooLarge(text)) }
        }
        return .success(.milliseconds(total))
    }

    /// Formats a duration the way job files write it, for example `1h30m` or `250ms`.
    public static func format(_ duration: Duration) -> String {
        var ms = duration.wholeMilliseconds
        if ms == 0 { return "0s" }
        var out = ""
        for (unit, size) in unitMilliseconds.reversed() where ms >= size {
            out += "\(ms / size)\(unit)"
            ms %= size
        }
        return out
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded toward zero.
    public var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// The duration in seconds as a floating-point number.
    public var secondsDouble: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
