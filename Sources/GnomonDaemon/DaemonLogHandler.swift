import Foundation
import GnomonCore
import Logging
import Synchronization

/// Writes each log record as one line on standard error: `time level message key=value...`.
///
/// The time is UTC with milliseconds; `job`, `run`, `task` and `attempt` come first among the
/// metadata, the rest sorted by key; values with spaces or quotes are quoted.
public struct DaemonLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private static let lock = Mutex(())

    public init(label: String, level: Logger.Level = .info) {
        self.label = label
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let line = Self.format(
            time: Date(), level: event.level, message: "\(event.message)", metadata: merged)
        let data = Array((line + "\n").utf8)
        Self.lock.withLock { _ in
            data.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                    if written <= 0 { if errno == EINTR { continue } else { break } }
                    offset += written
                }
            }
        }
    }

    /// The keys printed first, in this order.
    static let leadingKeys = ["job", "run", "task", "attempt"]

    /// One line: `2026-11-26T18:36:26.439Z info run started job=demo run=2`.
    static func format(time: Date, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var line = "\(timestamp(time)) \(level.rawValue) \(message)"
        let rest = metadata.keys.filter { !leadingKeys.contains($0) }.sorted()
        for key in leadingKeys.filter({ metadata[$0] != nil }) + rest {
            line += " \(key)=\(quoted("\(metadata[key]!)"))"
        }
        return line
    }

    static func quoted(_ value: String) -> String {
        guard value.isEmpty || value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) else {
            return value
        }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }

    static func timestamp(_ date: Date) -> String {
        ISOTime.utc(date, alwaysMilliseconds: true)
    }
}
