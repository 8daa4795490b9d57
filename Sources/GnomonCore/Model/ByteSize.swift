/// Parses and formats the sizes job files and the settings file use: `100MiB`, `512KiB`, `1GiB`,
/// `10MB`, or a bare integer of bytes.
///
/// `KiB`, `MiB`, `GiB`, `TiB` are powers of 1024; `KB`, `MB`, `GB`, `TB` powers of 1000 (as `df -H`
/// and disk makers count); `B` is bytes. Units are case-insensitive, a space before them is allowed.
public enum ByteSize {
    /// Why a size could not be read.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case malformed(String)
        case tooLarge(String)

        public var description: String {
            switch self {
            case .malformed(let text):
                return "\"\(text)\" is not a size; write it like 100MiB, 512KiB, 1GiB or a number of bytes"
            case .tooLarge(let text):
                return "size \"\(text)\" is larger than the maximum of 1 PiB"
            }
        }
    }

    /// The largest size accepted: far above any disk, far from overflow.
    public static let maximum: Int64 = 1 << 50

    private static let units: [(String, Int64)] = [
        ("b", 1), ("kb", 1000), ("mb", 1_000_000), ("gb", 1_000_000_000), ("tb", 1_000_000_000_000),
        ("kib", 1 << 10), ("mib", 1 << 20), ("gib", 1 << 30), ("tib", 1 << 40),
    ]

    /// Parses `text` into a number of bytes.
    public static func parse(_ text: String) -> Result<Int64, Problem> {
        let trimmed = text.trimmingWhitespace()
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 16, let value = Int64(digits) else {
            return .failure(.malformed(text))
        }
        let unitText = String(trimmed.dropFirst(digits.count)).trimmingWhitespace().lowercased()
        let factor: Int64
        if unitText.isEmpty {
            factor = 1
        } else if let unit = units.first(where: { $0.0 == unitText }) {
            factor = unit.1
        } else {
            return .failure(.malformed(text))
        }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: factor)
        guard !overflow, bytes <= maximum else { return .failure(.tooLarge(text)) }
        return .success(bytes)
    }

    /// Formats a size in the largest binary unit that divides it exactly: `100MiB`, `1536KiB`,
    /// `1000B`.
    public static func format(_ bytes: Int64) -> String {
        for (name, factor) in [("TiB", Int64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]
        where bytes >= factor && bytes % factor == 0 {
            return "\(bytes / factor)\(name)"
        }
        return "\(bytes)B"
    }
}
