import Foundation
import GnomonCore

/// Loads job files: YAML text in, a `ValidJob` (the job with its task graph and parsed schedule)
/// or every problem in the file out.
///
/// The loader never throws and never traps on bad input. It reports all the problems it finds in a
/// file at once, each with the file, line, column and key path.
public enum JobFileLoader {
    /// Reads and loads the job file at `path`. The job's name is the file's stem.
    ///
    /// `channels` are the channel names the settings file defines: a `notify:` rule naming
    /// another is a problem. With `nil` the names are not checked.
    public static func load(path: String, channels: Set<String>? = nil) -> JobFileResult {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return .failed([Diagnostic(path: path, line: 1, column: 1, keyPath: "",
                                       message: "cannot read the file: \(readProblem(path: path, error: error))")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return .failed([Diagnostic(path: path, line: 1, column: 1, keyPath: "",
                                       message: "the file is not UTF-8 text; save it as UTF-8")])
        }
        return load(text: text, path: path, channels: channels)
    }

    /// Loads a job from `text` as if it were the file at `path`, which names the job (its stem)
    /// and the folder relative paths resolve against. Nothing is read from disk.
    public static func load(text: String, path: String, channels: Set<String>? = nil) -> JobFileResult {
        load(text: text, path: path, channels: channels, compose: Composer.compose)
    }

    /// Loads a job from `text` with `compose` turning the text into nodes (a test counts its
    /// calls: one per file, however many repeated keys it has).
    static func load(text: String, path: String, channels: Set<String>? = nil,
                     compose: (String) -> Composer.Composition) -> JobFileResult {
        // A byte-order mark is invisible in editors, and the parser takes it for content.
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        var diagnostics = nameDiagnostics(path: path)
        let guarded = TextGuard.check(text)
        if !guarded.isEmpty {
            return .failed(diagnostics + guarded.map { diagnostic($0, path: path) })
        }
        let composition = compose(text)
        if !composition.problems.isEmpty {
            return .failed(diagnostics + composition.problems.map { diagnostic($0, path: path) })
        }
        guard let root = composition.root, !NodeReader.isNull(root) else {
            return .failed(diagnostics + [Diagnostic(
                path: path, line: 1, column: 1, keyPath: "",
                message: "the file is empty; a job needs at least tasks:, for example  tasks: { hello: { run: echo hello } }")])
        }
        let reader = NodeReader(path: path, written: composition.written)
        let job = JobReader(reader: reader, channels: channels).read(root: root, name: jobName(path: path) ?? "", directory: directory(of: path))
        diagnostics += reader.diagnostics
        if let job, diagnostics.isEmpty { return .loaded(job) }
        if diagnostics.isEmpty {
            // Unreachable by design: a missing spec always comes with a reported problem.
            diagnostics = [Diagnostic(path: path, line: 1, column: 1, keyPath: "", message: "the job could not be loaded")]
        }
        return .failed(sorted(diagnostics))
    }

    /// The job name a path gives: its file name without the `.yaml` or `.yml` extension, or
    /// `nil` if the path does not end in one of them.
    public static func jobName(path: String) -> String? {
        let file = (path as NSString).lastPathComponent
        let stem = (file as NSString).deletingPathExtension
        let ext = (file as NSString).pathExtension
        guard JobFileFormat.extensions.contains(ext), !stem.isEmpty else { return nil }
        return stem
    }

    /// The absolute, standardized folder holding the file at `path`.
    public static func directory(of path: String) -> String {
        URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
    }

    /// Why a file could not be read, in a few plain words.
    static func readProblem(path: String, error: Error) -> String {
        var isFolder: ObjCBool = false
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path) {
                return "it is a symbolic link to \(target), which does not exist"
            }
            return "it does not exist"
        }
        if isFolder.boolValue { return "it is a folder, not a file" }
        if !FileManager.default.isReadableFile(atPath: path) { return "permission denied" }
        return (error as NSError).localizedDescription
    }

    private static func nameDiagnostics(path: String) -> [Diagnostic] {
        guard let name = jobName(path: path) else {
            return [Diagnostic(path: path, line: 1, column: 1, keyPath: "",
                               message: "a job file's name must end in .yaml or .yml")]
        }
        guard let problem = NameRule.problem(with: name) else { return [] }
        return [Diagnostic(path: path, line: 1, column: 1, keyPath: "",
                           message: "the job's name comes from its file name: \(problem); rename the file")]
    }

    static func diagnostic(_ problem: TextGuard.Problem, path: String) -> Diagnostic {
        Diagnostic(path: path, line: problem.line, column: problem.column, keyPath: "", message: problem.message)
    }

    /// Diagnostics in file order; ones at the same place keep the order they were found in.
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
    }
}
