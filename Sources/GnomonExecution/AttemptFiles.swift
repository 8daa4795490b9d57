import CGnomonSpawn
import GnomonCore
import Glibc

/// The files of one attempt beside its log: the output file it appends to (`GNOMON_OUTPUT`,
/// `TASK.N.output`) and the upstream outputs it may read (`GNOMON_INPUTS`, `TASK.N.inputs.json`).
///
/// Both are scratch: the engine removes them when the attempt has ended (its outputs are in the
/// database by then), and the pruner removes any a crash left beside a log it deletes.
///
/// An attempt none of whose upstream tasks published an output reads the run's one empty inputs
/// file instead (``emptyInputsPath(logPath:)``, `{}`), made once per run and kept with its logs,
/// so that no file is created and deleted for each such attempt.
public enum AttemptFiles {
    /// Where a container sees its output file (the host file is mounted there).
    public static let containerOutputPath = "/gnomon/output"
    /// Where a container sees its inputs file (mounted read-only).
    public static let containerInputsPath = "/gnomon/inputs.json"
    /// The most bytes of an output file Gnomon reads: four times the 1 MiB the outputs may hold
    /// (keys, `<<` delimiters and values written again take room too); a larger file is refused
    /// unread.
    public static let maxOutputFileBytes = 4 * OutputFile.maxTotalBytes

    /// The output file of the attempt whose log is `logPath`.
    public static func outputPath(logPath: String) -> String {
        stem(of: logPath) + ".output"
    }

    /// The inputs file of the attempt whose log is `logPath`.
    public static func inputsPath(logPath: String) -> String {
        stem(of: logPath) + ".inputs.json"
    }

    /// The name of a run's empty inputs file in its log folder. It cannot be an attempt's file:
    /// those are named `TASK.NUMBER.…`.
    public static let emptyInputsName = "empty.inputs.json"

    /// The run's empty inputs file (`{}`), in the folder of the attempt log `logPath`: what
    /// `GNOMON_INPUTS` names when no upstream task of the attempt published an output.
    public static func emptyInputsPath(logPath: String) -> String {
        AttemptLog.parentFolder(of: logPath) + "/" + emptyInputsName
    }

    /// Every scratch file of the attempt whose log is `logPath`.
    public static func scratch(logPath: String) -> [String] {
        [outputPath(logPath: logPath), inputsPath(logPath: logPath)]
    }

    /// Removes the attempt's scratch files (those that exist).
    public static func remove(logPath: String) {
        for path in scratch(logPath: logPath) { unlink(path) }
    }

    /// Writes `text` as the inputs file at `path`, replacing any file there (and creating the
    /// log's folders when they are missing); a problem is the could-not-start reason.
    public static func writeInputs(_ text: String, to path: String) -> String? {
        var descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        if descriptor < 0 && (errno == ENOENT || errno == ENOTDIR) {
            if let problem = AttemptLog.makeFolders(AttemptLog.parentFolder(of: path)) { return problem.reason }
            descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        }
        guard descriptor >= 0 else { return "could not write the inputs file \(path): \(ErrnoText.describe(errno))" }
        defer { close(descriptor) }
        guard DescriptorText.writeAll(text, to: descriptor) else {
            return "could not write the inputs file \(path): \(ErrnoText.describe(errno))"
        }
        return nil
    }

    /// Makes the run's empty inputs file at `path` (``emptyInputsPath(logPath:)``) unless it
    /// exists, with its folders; a problem is the could-not-start reason.
    ///
    /// The file is written unnamed (`O_TMPFILE`) and then linked under its name, so no reader
    /// ever finds it half-written, two runners making it at once both succeed (the second link
    /// finds it there), and a crash leaves nothing behind. Where the file system has no unnamed
    /// files, a uniquely named one is written and linked the same way, then its name removed.
    public static func makeEmptyInputs(at path: String) -> String? {
        let folder = AttemptLog.parentFolder(of: path)
        var descriptor = gnomon_open_unnamed(folder, 0o644)
        if descriptor < 0 && (errno == ENOENT || errno == ENOTDIR) {
            if let problem = AttemptLog.makeFolders(folder) { return problem.reason }
            descriptor = gnomon_open_unnamed(folder, 0o644)
        }
        if descriptor < 0 { return makeEmptyInputsNamed(at: path) }
        defer { close(descriptor) }
        guard DescriptorText.writeAll(emptyInputsText, to: descriptor) else {
            return "could not write the inputs file \(path): \(ErrnoText.describe(errno))"
        }
        guard linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0 || errno == EEXIST else {
            // No /proc to name the unnamed file by: the named way.
            if errno == ENOENT { return makeEmptyInputsNamed(at: path) }
            return "could not write the inputs file \(path): \(ErrnoText.describe(errno))"
        }
        return nil
    }

    /// What the run's empty inputs file holds: no upstream task's outputs.
    public static let emptyInputsText = "{}\n"

    /// ``makeEmptyInputs(at:)`` without `O_TMPFILE`: a file named after the process is written,
    /// linked under `path` and unlinked.
    private static func makeEmptyInputsNamed(at path: String) -> String? {
        let scratch = "\(path).\(getpid()).tmp"
        if let problem = writeInputs(emptyInputsText, to: scratch) { return problem }
        defer { unlink(scratch) }
        guard link(scratch, path) == 0 || errno == EEXIST else {
            return "could not write the inputs file \(path): \(ErrnoText.describe(errno))"
        }
        return nil
    }

    /// Creates an empty output file at `path` that any user may write to: a container's user
    /// may map to another uid than Gnomon's (the log's folder keeps it private).
    static func createOutputFile(at path: String) -> LaunchProblem? {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else {
            return LaunchProblem("could not create the output file \(path): \(ErrnoText.describe(errno))")
        }
        fchmod(descriptor, 0o666)
        close(descriptor)
        return nil
    }

    /// The text of the output file at `path`; `nil` when there is none (the task wrote no
    /// output). A file above ``maxOutputFileBytes`` or not UTF-8 is refused, naming the line.
    public static func readOutput(at path: String) -> Result<String?, OutputFile.Problem> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return .success(nil) }
            return .failure(OutputFile.Problem(line: 1, message: "the output file \(path) could not be read: \(ErrnoText.describe(errno))"))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while bytes.count <= maxOutputFileBytes {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(OutputFile.Problem(line: 1, message: "the output file \(path) could not be read: \(ErrnoText.describe(errno))"))
            }
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        if bytes.count > maxOutputFileBytes {
            let line = 1 + bytes.prefix(maxOutputFileBytes).reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            return .failure(OutputFile.Problem(
                line: line,
                message: "the output file passes \(maxOutputFileBytes) bytes (4 MiB) here, and is not read; outputs are limited to 1 MiB per task: write large data to a file and pass its path"))
        }
        if let text = String(validating: bytes, as: UTF8.self) { return .success(text) }
        var line = 1
        for piece in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if String(validating: piece, as: UTF8.self) == nil { break }
            line += 1
        }
        return .failure(OutputFile.Problem(line: line, message: "the line is not UTF-8 text; outputs are text (encode binary data, for example in base64)"))
    }

    private static func stem(of logPath: String) -> String {
        logPath.hasSuffix(".log") ? String(logPath.dropLast(4)) : logPath
    }
}
