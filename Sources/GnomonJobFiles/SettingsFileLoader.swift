import Foundation
import GnomonCore

/// Loads the settings file (`gnomon.yaml`): YAML text in, `GnomonSettings` and every problem out,
/// each with the file, line, column and key path, as job files are loaded.
public enum SettingsFileLoader {
    /// Reads and loads the settings file at `path`. A file that cannot be read is a problem;
    /// whether a missing file is fine is the caller's choice (see `loadIfPresent(path:)`).
    public static func load(path: String) -> SettingsFileResult {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            return failed(path, "cannot read the settings file: \(JobFileLoader.readProblem(path: path, error: error))")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            return failed(path, "the file is not UTF-8 text; save it as UTF-8")
        }
        return load(text: text, path: path)
    }

    /// The settings file at `path`, or `nil` if nothing is there (not even a broken link).
    public static func loadIfPresent(path: String) -> SettingsFileResult? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return load(path: path)
    }

    /// Loads settings from `text` as if it were the file at `path`, whose folder relative
    /// `*_file` paths resolve against. Nothing is read from disk.
    public static func load(text: String, path: String) -> SettingsFileResult {
        let text = text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
        let guarded = TextGuard.check(text)
        if !guarded.isEmpty {
            return SettingsFileResult(settings: GnomonSettings(),
                                      diagnostics: guarded.map { JobFileLoader.diagnostic($0, path: path) })
        }
        let composition = Composer.compose(text)
        if !composition.problems.isEmpty {
            return SettingsFileResult(settings: GnomonSettings(),
                                      diagnostics: composition.problems.map { JobFileLoader.diagnostic($0, path: path) })
        }
        // An empty file (or only comments) is empty settings.
        guard let root = composition.root, !NodeReader.isNull(root) else { return SettingsFileResult(settings: GnomonSettings()) }
        let reader = NodeReader(path: path, written: composition.written)
        let read = SettingsReader(reader: reader, directory: JobFileLoader.directory(of: path)).read(root: root)
        return SettingsFileResult(settings: read.settings, diagnostics: JobFileLoader.sorted(reader.diagnostics),
                                  channelNames: read.channelNames)
    }

    private static func failed(_ path: String, _ message: String) -> SettingsFileResult {
        SettingsFileResult(settings: GnomonSettings(),
                           diagnostics: [Diagnostic(path: path, line: 1, column: 1, keyPath: "", message: message)])
    }
}
