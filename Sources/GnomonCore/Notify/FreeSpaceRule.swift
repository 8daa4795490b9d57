/// How much free space the home's file system must have before an attempt starts
/// (`min_free_space` in the settings file; Docs/daemon.md, *A full disk*).
public enum FreeSpaceRule: Sendable, Hashable, Codable {
    /// The smaller of 1 GiB and 5% of the file system: room for logs and the database to grow on
    /// a small disk, without holding back work on a large one for want of 5% of terabytes.
    case standard
    /// This many bytes.
    case bytes(Int64)
    /// This percentage (0 to 100) of the file system's size.
    case percent(Double)
    /// No check.
    case none

    public static let standardBytes: Int64 = 1 << 30
    public static let standardPercent: Double = 5

    /// The free bytes needed on a file system of `total` bytes.
    public func threshold(total: Int64) -> Int64 {
        switch self {
        case .standard: return min(Self.standardBytes, Int64(Double(total) * Self.standardPercent / 100))
        case .bytes(let bytes): return bytes
        case .percent(let percent): return Int64(Double(total) * percent / 100)
        case .none: return 0
        }
    }

    /// The rule as the settings file writes it: `1GiB`, `5%`, `0`; `nil` for the standard one.
    public var text: String? {
        switch self {
        case .standard: return nil
        case .bytes(let bytes): return ByteSize.format(bytes)
        case .percent(let percent): return "\(percent.formatted2)%"
        case .none: return "0"
        }
    }
}

extension Double {
    fileprivate var formatted2: String {
        self == rounded() ? String(Int64(self)) : String(self)
    }
}
