import Foundation
import GnomonCore
import GnomonDaemon
import GnomonEngine
import GnomonJobFiles

/// The alerts of a run made by `gnomon run` or `gnomon retry`.
///
/// While a daemon runs on the same home, its notifier reads the run's events and alerts (this
/// process sends nothing). Otherwise this process decides and delivers them itself before it
/// exits, waiting at most `deliveryWait`; what it could not deliver by then stays queued, and the
/// next daemon start delivers it without queueing it again.
extension ForegroundRun {
    /// How long `gnomon run` waits for its alerts to be delivered before it exits.
    static let deliveryWait = Duration.seconds(10)

    /// What a foreground run needs to alert: the settings and where the event record stood.
    struct Alerting {
        let settings: GnomonSettings
        let eventsBefore: Int64
    }

    /// Reads the settings file (a named one that is missing is exit 3) before the run starts;
    /// nil when there is nothing to alert (no file, or no channels).
    static func alerting(settings: GlobalSettings, workspace: Workspace) throws(AppError) -> Alerting? {
        guard let file = try settings.loadSettingsFile(), !file.settings.channels.isEmpty else { return nil }
        let before: Int64
        do { before = try workspace.store.lastEventID() } catch { throw AppError(error) }
        return Alerting(settings: file.settings, eventsBefore: before)
    }

    /// Delivers the alerts of run `id`, unless a daemon runs and will.
    static func deliverAlerts(_ alerting: Alerting?, run id: Int64, workspace: Workspace, settings: GlobalSettings) async {
        guard let alerting, DaemonLock.runningDaemon(home: settings.home) == nil else { return }
        let notifier = Notifier(
            store: workspace.store, clock: SystemClock(), logger: Daemon.makeLogger(level: "warning"),
            holder: "runner-\(getpid())")
        notifier.configure(settings: alerting.settings, environment: ProcessInfo.processInfo.environment)
        await notifier.notify(run: id, eventsAfter: alerting.eventsBefore, within: deliveryWait)
    }
}
