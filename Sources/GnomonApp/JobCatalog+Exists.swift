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
        if !JobDirectory.files(forJob: name, in: directory).isEmpty { return }
        let files = (try? JobDirectory.files(in: directory).get()) ?? []
        throw unknownJob(name, among: files.map(\.name), in: directory, otherwise: "`gnomon jobs` lists them")
    }
}

extension JobCatalog {
    /// The valid definition of job `name`, loading only its own file (`gnomon run` of one job
    /// must not parse the whole folder). Falls back to the whole folder when the name has no
    /// single file, so a typo still gets its did-you-mean and `a.yaml` + `a.yml` their clash.
    public static func job(named name: String, in directory: String) throws(AppError) -> ValidJob {
        try requireFile(for: name, in: directory)
        return try jobWithFile(named: name, in: directory)
    }

    /// ``job(named:in:)`` once ``requireFile(for:in:)`` has passed.
    static func jobWithFile(named name: String, in directory: String) throws(AppError) -> ValidJob {
        let files = JobDirectory.files(forJob: name, in: directory)
        guard files.count == 1 else {
            return try load(directory).job(named: name)
        }
        let entry = CatalogEntry.file(files[0].path)
        return try JobCatalog(directory: directory, entries: [entry], problems: []).job(named: name)
    }
}
