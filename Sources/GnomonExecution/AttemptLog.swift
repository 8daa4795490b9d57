import CGnomonSpawn
import Glibc

/// The log file of one attempt: created once, exclusively, never overwritten.
public enum AttemptLog {
    /// Creates the file (and its missing parent folders) for writing.
    ///
    /// The folders are looked at only when the file cannot be created for want of them: a run's
    /// attempts after its first find their folder there.
    /// - Returns: the open descriptor (close-on-exec), or a could-not-start reason.
    static func create(at path: String) -> Result<Int32, LaunchProblem> {
        guard path.hasPrefix("/") else {
            return .failure(LaunchProblem("log path \"\(path)\" is not absolute"))
        }
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC
        var descriptor = open(path, flags, 0o644)
        if descriptor < 0 && (errno == ENOENT || errno == ENOTDIR) {
            if let problem = makeFolders(parentFolder(of: path)) { return .failure(problem) }
            descriptor = open(path, flags, 0o644)
        }
        guard descriptor >= 0 else {
            let code = errno
            if code == EEXIST {
                return .failure(LaunchProblem(
                    "log file \(path) already exists; Gnomon never overwrites an attempt's log"))
            }
            return .failure(LaunchProblem("could not create log file \(path): \(ErrnoText.describe(code))"))
        }
        return .success(descriptor)
    }

    /// Waits at the engine's gate. When it stays shut, or the attempt was cancelled meanwhile,
    /// removes the log created for an attempt that will not run and returns false.
    static func passGate(_ gate: any LaunchGate, logPath: String) async -> Bool {
        guard await gate.mayStart(), !Task.isCancelled else {
            unlink(logPath)
            return false
        }
        return true
    }

    /// Writes `gnomon: could not start: REASON` as the log's first line. A log that cannot take
    /// it is no worse: the outcome still carries the reason.
    static func recordCouldNotStart(_ reason: String, to descriptor: Int32) {
        DescriptorText.write("gnomon: could not start: \(reason)\n", to: descriptor)
    }

    /// Writes the log of an attempt that could not start before any step of its own (no container
    /// runtime on this machine, an action its executor cannot run), so its log says why, like any
    /// attempt that could not start.
    public static func note(couldNotStart reason: String, at path: String) {
        guard case .success(let descriptor) = create(at: path) else { return }
        recordCouldNotStart(reason, to: descriptor)
        close(descriptor)
    }

    /// Appends a line Gnomon writes about an attempt (a Slurm job's state) to its log, creating
    /// the log if it is missing; a log that cannot take it is no worse.
    public static func append(_ text: String, to path: String) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        DescriptorText.write(text, to: descriptor)
        close(descriptor)
    }

    static func parentFolder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// `mkdir -p`: creates `folder` and every missing ancestor.
    ///
    /// The parent of each folder it creates is first marked as the top of a hierarchy (`chattr
    /// +T`, where the file system has it: ext2/3/4), so that ext4 places a new run's log folder,
    /// and with it the run's logs, in a block group of its own choosing rather than beside its
    /// parent. Without a journal, ext4 scans past every inode of a group freed in the last
    /// minutes for each file it creates there: beside a folder where many files were deleted
    /// (log retention, other programs in `/tmp`), a log cost 60-220 µs to create, and 8 µs in
    /// a folder placed this way (Docs/performance.md, *File creation on ext4*).
    ///
    /// Each folder is made under a random name beside it and then renamed: ext4 starts its search
    /// for a placed folder's group at a hash of the folder's name, so every home's run 1 would
    /// start at the same group, and a new home's runs would land in the very groups where a
    /// deleted home's runs had their logs.
    static func makeFolders(_ folder: String) -> LaunchProblem? {
        var info = stat()
        if stat(folder, &info) == 0 {
            if info.st_mode & S_IFMT == S_IFDIR { return nil }
            return LaunchProblem("could not create the log folder \(folder): a file of that name exists")
        }
        if folder != "/" {
            if let problem = makeFolders(parentFolder(of: folder)) { return problem }
            // A file system without the attribute places the folder as it would anyway; the root
            // folder is the top already.
            if parentFolder(of: folder) != "/" { _ = gnomon_spread_subfolders(parentFolder(of: folder)) }
        }
        let code = makeFolder(folder)
        if code != 0 && code != EEXIST {
            return LaunchProblem("could not create the log folder \(folder): \(ErrnoText.describe(code))")
        }
        return nil
    }

    /// `mkdir` by way of a random name in the same parent (see ``makeFolders(_:)``).
    /// - Returns: 0, or the errno (`EEXIST`: the folder exists, made by someone else meanwhile).
    static func makeFolder(_ folder: String) -> Int32 {
        let parent = parentFolder(of: folder)
        let draft = (parent == "/" ? "" : parent) + "/.gnomon-new-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
        guard mkdir(draft, 0o755) == 0 else {
            return mkdir(folder, 0o755) == 0 ? 0 : errno
        }
        if gnomon_rename_noreplace(draft, folder) == 0 { return 0 }
        let code = errno
        rmdir(draft)
        // Where renaming cannot refuse to replace (EINVAL), the folder is made as is.
        if code == EINVAL { return mkdir(folder, 0o755) == 0 ? 0 : errno }
        return code
    }
}

/// Why an attempt could not start, as one sentence for a person.
struct LaunchProblem: Error, Hashable {
    var reason: String

    init(_ reason: String) { self.reason = reason }
}
