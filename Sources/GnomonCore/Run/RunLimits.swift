/// How big one run may grow.
public enum RunLimits {
    /// The most tasks one run may have, counting every instance of its foreach tasks: a job file
    /// may list this many, and a fan-out that would pass it fails its foreach task instead.
    public static let maximumTasks = 100_000
}
