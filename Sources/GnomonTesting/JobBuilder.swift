import GnomonCore

/// Builds `JobSpec`s (and, with `validated()`, `ValidJob`s) for tests in a few readable lines:
///
/// ```swift
/// let job = JobBuilder("etl", directory: home.jobs)
///     .task("extract", run: "echo x")
///     .task("load", run: "exit 3", dependsOn: ["extract"], retry: .quick(limit: 2))
///     .concurrency(2)
///     .build()
/// ```
///
/// A value type: each call returns a new builder, so a shared base can be varied per case.
public struct JobBuilder: Sendable {
    private var job: JobSpec

    /// A job named `name` whose file would live in `directory` (relative `workdir`s resolve there).
    public init(_ name: String = "test", directory: String) {
        job = JobSpec(name: name, tasks: [], directory: directory)
    }

    /// Adds a `run:` task (a shell line run by `/bin/sh -c`).
    public func task(
        _ name: String, run line: String, dependsOn: [String] = [], after: [String] = [],
        retry: RetryPolicy = RetryPolicy(), timeout: Duration? = nil, env: [String: String] = [:],
        workdir: String? = nil
    ) -> JobBuilder {
        adding(TaskSpec(
            name: name, action: .shell(line), dependsOn: dependsOn, after: after, retry: retry,
            timeout: timeout, env: env, workdir: workdir))
    }

    /// Adds a `command:` task (an argv, no shell).
    public func task(
        _ name: String, command argv: [String], dependsOn: [String] = [], after: [String] = [],
        retry: RetryPolicy = RetryPolicy(), timeout: Duration? = nil, env: [String: String] = [:],
        workdir: String? = nil
    ) -> JobBuilder {
        adding(TaskSpec(
            name: name, action: .command(argv), dependsOn: dependsOn, after: after, retry: retry,
            timeout: timeout, env: env, workdir: workdir))
    }

    /// Adds a task built elsewhere.
    public func adding(_ task: TaskSpec) -> JobBuilder {
        var copy = self
        copy.job.tasks.append(task)
        return copy
    }

    /// Sets the per-run limit on tasks running at once.
    public func concurrency(_ limit: Int?) -> JobBuilder {
        var copy = self
        copy.job.concurrency = limit
        return copy
    }

    /// Sets the deadline of a whole run.
    public func timeout(_ deadline: Duration?) -> JobBuilder {
        var copy = self
        copy.job.timeout = deadline
        return copy
    }

    public func build() -> JobSpec { job }

    /// The job validated, with its graph and parsed schedule, as the loader hands jobs out;
    /// throws, naming the problems, for a job that is not valid.
    public func validated() throws -> ValidJob { try job.validated() }
}

extension JobSpec {
    /// This job validated, with its graph and parsed schedule, as the loader hands jobs out;
    /// throws, naming the problems, for a job that is not valid.
    public func validated() throws -> ValidJob {
        do {
            return try ValidJob(self)
        } catch {
            throw TestSetupError("job \(name) is not valid: \(error)")
        }
    }
}

extension RetryPolicy {
    /// A retry policy for tests: short delays, no jitter (so waits are exact), backoff 2.
    public static func quick(
        limit: Int, delay: Duration = .milliseconds(100), backoff: Double = 2,
        maxDelay: Duration = .seconds(10), onExitCodes: [Int32]? = nil
    ) -> RetryPolicy {
        RetryPolicy(limit: limit, delay: delay, backoff: backoff, maxDelay: maxDelay, jitter: 0, onExitCodes: onExitCodes)
    }
}
