/// How long tests wait, chosen for a small machine running many tests (and other builds) at once.
///
/// The whole package's tests share one process and its few cooperative threads (two on two
/// cores); while CPU-heavy suites hold them, an engine's next step queues behind them, and on a
/// loaded 2-core machine stalls of 10-15 s were measured. In-process tests therefore wait for
/// events with `patience` (returning as soon as they happen) and bound "stopped promptly" only
/// loosely by `stopBound`, while the tasks that must be stopped sleep `longSleep`, far beyond it,
/// so a kill that does not work still fails the test. Tight bounds belong where the times are
/// taken outside the test process (a separate `gnomon` process recording them).
public enum TestTiming {
    /// The longest a test waits for something that normally takes milliseconds.
    public static let patience: Duration = .seconds(30)
    /// The bound on "stopped promptly", in seconds (normally well under one).
    public static let stopBound: Double = 40
    /// How long a task that must be killed sleeps, in seconds, for `sleep N`.
    public static let longSleep = 300
}
