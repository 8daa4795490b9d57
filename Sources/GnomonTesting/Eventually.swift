/// Polls `condition` every `interval` for up to `limit`; returns whether it became true.
///
/// A condition that throws counts as not yet true (a file not written yet, a row not there).
/// The wait never blocks a thread: the test runner's cooperative pool has one per core.
public func eventually(
    within limit: Duration = .seconds(5), every interval: Duration = .milliseconds(5),
    _ condition: () throws -> Bool
) async -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + limit
    while clock.now < end {
        if (try? condition()) == true { return true }
        try? await Task.sleep(for: interval)
    }
    return (try? condition()) == true
}

extension Duration {
    /// The duration in seconds, fractions included.
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// ``eventually(within:every:_:)`` for a condition that awaits (an HTTP request, say).
public func eventually(
    within limit: Duration = .seconds(5), every interval: Duration = .milliseconds(5),
    _ condition: () async throws -> Bool
) async -> Bool {
    let clock = ContinuousClock()
    let end = clock.now + limit
    while clock.now < end {
        if (try? await condition()) == true { return true }
        try? await Task.sleep(for: interval)
    }
    return (try? await condition()) == true
}
