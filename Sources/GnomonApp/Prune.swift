import Foundation
import GnomonCore
import GnomonDaemon
import GnomonJobFiles
import GnomonStore

/// `gnomon prune`: removes the history outside the retention policies now, as the daemon does
/// every ten minutes, and says what it removed.
public enum Prune {
    /// Prunes (or, with `dryRun`, counts) at `now`; with `vacuum`, first rewrites a database made
    /// before incremental vacuum so that it can shrink (refused while a daemon runs).
    public static func run(dryRun: Bool, vacuum: Bool, json: Bool, settings: GlobalSettings, now: Date = Date()) throws(AppError) -> String {
        guard let workspace = try Workspace.openIfPresent(settings) else {
            return json ? "{}" : "nothing to prune (no database at \(settings.databasePath))"
        }
        let pruner = Pruner(store: workspace.store)
        let (fallback, jobs) = try policies(settings, store: workspace.store)
        pruner.configure(fallback: fallback, jobs: jobs)
        var vacuumed: (before: Int64, after: Int64)?
        if vacuum && !dryRun {
            if let pid = DaemonLock.runningDaemon(home: settings.home) {
                throw AppError(.environment, "--vacuum rewrites the whole database and holds its write lock meanwhile, "
                    + "but a daemon (process \(pid)) runs on \(settings.home); stop it first, or prune without --vacuum")
            }
            do {
                let before = try workspace.store.storageFigures().bytes
                try workspace.store.vacuumIntoIncrementalMode()
                vacuumed = (before, try workspace.store.storageFigures().bytes)
            } catch { throw AppError(error) }
        }
        let report: PruneReport
        // By hand nobody waits for the write lock but a daemon, and the pacing is for it.
        let daemonRuns = DaemonLock.runningDaemon(home: settings.home) != nil
        do { report = try pruner.prune(now: now, dryRun: dryRun, pacing: daemonRuns) } catch { throw AppError(error) }
        if json { return try JSONOutput.string(report, what: "the prune report") }
        return describe(report, vacuumed: vacuumed).joined(separator: "\n")
    }

    /// The policy of every job: from its file when valid, else from the definition the daemon
    /// last scheduled, over the settings file's `keep:`; the fallback for the rest.
    static func policies(_ settings: GlobalSettings, store: GnomonStore) throws(AppError) -> (fallback: RetentionPolicy, jobs: [String: RetentionPolicy]) {
        let file = try settings.loadSettingsFile()
        if let file, !file.diagnostics.isEmpty {
            let lines = file.diagnostics.map(\.description).joined(separator: "\n")
            throw AppError(.failure, "the settings file is invalid, so its keep: is unknown; fix these and try again:\n\(lines)")
        }
        let gnomon = file?.settings ?? GnomonSettings()
        var specs: [String: JobSpec] = [:]
        if let remembered = try? store.daemonJobs() {
            for (name, job) in remembered { specs[name] = job.definition }
        }
        if FileManager.default.fileExists(atPath: settings.jobsDirectory) {
            for entry in try JobCatalog.load(settings.jobsDirectory).entries {
                if case .loaded(let job) = entry.result { specs[entry.name] = job.spec }
            }
        }
        return (gnomon.defaultRetention, specs.mapValues { gnomon.retention(for: $0) })
    }

    static func describe(_ report: PruneReport, vacuumed: (before: Int64, after: Int64)?) -> [String] {
        var lines: [String] = []
        if let vacuumed {
            lines.append("vacuumed: the database went from \(bytes(vacuumed.before)) to \(bytes(vacuumed.after)) and now gives free pages back")
        }
        let logs = "\(count(report.logFiles, "log file")) (\(bytes(report.logBytes)))"
        if report.dryRun {
            lines.append("would prune \(count(report.runs, "run")), \(count(report.attempts, "attempt")), \(logs)"
                + " (ticks, events and alerts are counted only when pruning)")
        } else {
            lines.append("pruned \(count(report.runs, "run")), \(count(report.attempts, "attempt")), \(logs), "
                + "\(count(report.ticks, "tick")), \(count(report.events, "event")), \(count(report.deliveries, "alert"))")
        }
        var held: [String] = []
        if report.heldUnfinished > 0 { held.append("\(count(report.heldUnfinished, "run")) not finished") }
        if report.heldForAlerts > 0 { held.append("\(count(report.heldForAlerts, "run")) with alerts not yet delivered") }
        if !held.isEmpty { lines.append("kept although outside the policy: " + held.joined(separator: ", ")) }
        if !report.dryRun {
            lines.append("database: \(bytes(report.databaseBytesBefore)) before, \(bytes(report.databaseBytesAfter)) after"
                + (report.reclaimedBytes > 0 ? " (\(bytes(report.reclaimedBytes)) given back)" : ""))
        }
        if !report.incrementalVacuum {
            lines.append("this database keeps its free pages for new rows instead of shrinking; "
                + "`gnomon prune --vacuum` (with the daemon stopped) rewrites it once so that pruning shrinks it")
        }
        return lines
    }

    static func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
    }

    /// `512 B`, `1.5 KiB`, `12.3 MiB`, `2.0 GiB`.
    static func bytes(_ value: Int64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        guard value >= 1024 else { return "\(value) B" }
        var amount = Double(value) / 1024
        var unit = 0
        while amount >= 1024 && unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return String(format: "%.1f %@", amount, units[unit])
    }
}
