import Foundation
import GnomonCore
import GnomonJobFiles

extension JobCatalog {
    /// Checks that the jobs folder has a file for job `name` without loading any file (a daemon
    /// with a thousand jobs must not make `gnomon trigger` parse them all); throws the not-found
    /// error with a did-you-mean otherwise.
    static func requireFile(for name: String, in directory: String) throws(AppError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AppError(.notFound, "jobs folder \(directory) does not exist; pass --jobs DIR or set GNOMON_JOBS")
        }
        for ext in JobFileFormat.extensions {
            if FileManager.default.fileExists(atPath: "\(directory)/\(name).\(ext)") { return }
        }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let names = files.filter { !$0.hasPrefix(".") }.compactMap { JobFileLoader.jobName(path: $0) }.sorted()
        throw unknownJob(name, among: names, in: directory, otherwise: "`gnomon jobs` lists them")
    }
}

extension JobCatalog {
    /// The valid definition of job `name`, loading only its own file (`gnomon run` of one job
    /// must not parse the whole folder). Falls back to the whole folder when the name has no
    /// single file, so a typo still gets its did-you-mean and `a.yaml` + `a.yml` their clash.
    public static func job(named name: String, in directory: String) throws(AppError) -> JobSpec {
        try requireFile(for: name, in: directory)
        return try jobWithFile(named: name, in: directory)
    }

    /// ``job(named:in:)`` once ``requireFile(for:in:)`` has passed.
    static func jobWithFile(named name: String, in directory: String) throws(AppError) -> JobSpec {
        let paths = JobFileFormat.extensions.map { "\(directory)/\(name).\($0)" }
            .filter { FileManager.default.fileExists(atPath: $0) }
        guard paths.count == 1, JobFileLoader.jobName(path: paths[0]) == name else {
            return try load(directory).job(named: name)
        }
        let entry = CatalogEntry.file(paths[0])
        return try JobCatalog(directory: directory, entries: [entry], problems: []).job(named: name)
    }
}
