import Foundation

/// Anything that can say when it next fires.
public protocol Schedule: Sendable {
    /// The first fire time strictly after `date`, or `nil` if there is none.
    func next(after date: Date) -> Date?
}

/// Why a schedule could not be built, naming the part of the schedule at fault.
public struct ScheduleProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The part of a schedule a problem is about; the loader maps it to a key path.
    public enum Part: String, Sendable, Hashable {
        case expression, timeZone, jitter
    }

    public let part: Part
    public let message: String

    public init(_ part: Part, _ message: String) {
        self.part = part
        self.message = message
    }

    public var description: String { message }
}
