extension GnomonSettings {
    /// The rules that apply to `job`: its own `notify:` when it has one (an empty list means no
    /// alerts), else the settings' defaults.
    public func rules(for job: JobSpec) -> [NotifyRule] {
        job.notify ?? notify
    }

    /// How long after its scheduled time a run of `job` that has not started is late: the job's
    /// own `late_after`, else the default for scheduled jobs; `nil` for no lateness check.
    public func lateAfter(for job: JobSpec) -> Duration? {
        job.lateAfter ?? (job.schedule == nil ? nil : lateAfter)
    }

    /// How long `job` may go without a successful run before it alerts: the job's own
    /// `expect_success_every`, else the default for scheduled jobs (a job run only by hand is
    /// not expected to run at all); `nil` for no such check.
    public func expectSuccessEvery(for job: JobSpec) -> Duration? {
        job.expectSuccessEvery ?? (job.schedule == nil ? nil : expectSuccessEvery)
    }
}

extension GnomonSettings {
    /// The history every job keeps unless its file says otherwise: the settings file's `keep:`,
    /// each key it leaves out taken from the built-in default.
    public var defaultRetention: RetentionPolicy {
        RetentionPolicy.standard.overridden(by: keep)
    }

    /// The history `job` keeps: its own `keep:`, each key it leaves out taken from
    /// ``defaultRetention``.
    public func retention(for job: JobSpec?) -> RetentionPolicy {
        defaultRetention.overridden(by: job?.keep)
    }
}
