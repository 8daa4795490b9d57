import Foundation

extension Schedule {
    /// The next `count` fire times after `date`, in order; fewer if the schedule runs out.
    public func nextTimes(after date: Date, count: Int) -> [Date] {
        var times: [Date] = []
        times.reserveCapacity(max(0, min(count, 10_000)))
        var cursor = date
        while times.count < count, let next = next(after: cursor) {
            times.append(next)
            cursor = next
        }
        return times
    }
}
