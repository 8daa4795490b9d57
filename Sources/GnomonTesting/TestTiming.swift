/// How long tests wait, chosen for a small machine running many tests (and other builds) at once.
///
/// The whole package's tests share one process and its few cooperative threads (two on two
/// cores). Tests therefore wait for events with `patience`, which returns as soon as they happen,
/// so a long patience costs nothing when all is well. A bound on how long something took is the
/// time it should take plus `margin`: a kill expected within its grace plus a second fails when
/// it takes longer, instead of passing at any time under a generous ceiling. The tasks that must
/// be stopped sleep `longSleep`, far beyond any bound, so a kill that does not work fails too.
public enum TestTiming {
    /// The longest a test waits for something that normally takes milliseconds.
    public static let patience: Duration = .seconds(30)
    /// What a timing bound allows beyond the expected time, in seconds: process start-up and
    /// scheduling on a busy machine, and nothing like a grace period or a poll interval.
    public static let margin: Double = 1
    /// The bound on "stopped within `expected` seconds": `expected` plus `margin`.
    public static func stopBound(_ expected: Double) -> Double { expected + margin }
    /// How long a task that must be killed sleeps, in seconds, for `sleep N`.
    public static let longSleep = 300
}
