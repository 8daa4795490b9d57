/// Retry decisions and backoff delays.
extension RetryPolicy {
    /// Whether an attempt that ended with `outcome` may be retried by this policy, ignoring the
    /// count of retries left. Timeouts, signals and failures to start count as failures; when
    /// `onExitCodes` is given, only those exit codes are retried.
    public func allowsRetry(of outcome: AttemptOutcome) -> Bool {
        switch outcome {
        case .exited(let code):
            guard code != 0 else { return false }
            return onExitCodes.map { $0.contains(code) } ?? true
        case .signalled, .timedOut, .couldNotStart, .outOfMemory, .outputRefused:
            return onExitCodes == nil
        case .lost, .interrupted:
            // Gnomon's own death or shutdown: always tried again, without using up a retry.
            return true
        case .cancelled:
            return false
        }
    }

    /// The wait before the k-th retry (k = 1 for the first retry):
    /// `min(maxDelay, delay * backoff^(k-1))`, spread by `jitter`.
    ///
    /// - Parameter unitRandom: a value in `0..<1`; 0.5 means no spread, 0 the shortest wait
    ///   (`1 - jitter` of the base), values near 1 the longest (`1 + jitter`).
    public func delay(beforeRetry k: Int, unitRandom: Double) -> Duration {
        let base = delay.secondsDouble * pow(backoff, Double(max(0, k - 1)))
        let capped = min(maxDelay.secondsDouble, base)
        let spread = 1 + jitter * (2 * unitRandom - 1)
        let seconds = max(0, min(maxDelay.secondsDouble, capped * spread))
        return .milliseconds(Int64((seconds * 1000).rounded()))
    }
}

/// `pow` without Foundation, for the small non-negative exponents backoff needs.
func pow(_ base: Double, _ exponent: Double) -> Double {
    var result = 1.0
    var remaining = Int(exponent)
    while remaining > 0 {
        result *= base
        if result > 1e15 { return result }  // already beyond any maximum delay
        remaining -= 1
    }
    return result
}
