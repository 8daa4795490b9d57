import Foundation

/// Where the engine reads the time and sleeps; tests may pass their own.
public protocol EngineClock: Sendable {
    func now() -> Date
    /// Sleeps until `date` (returns at once if it has passed); throws when cancelled.
    func sleep(until date: Date) async throws
}

/// The system's wall clock.
public struct SystemClock: EngineClock {
    public init() {}
    public func now() -> Date { Date() }
    public func sleep(until date: Date) async throws {
        let seconds = date.timeIntervalSinceNow
        if seconds > 0 { try await Task.sleep(for: .milliseconds(Int64(seconds * 1000) + 1)) }
    }
}
