/// One problem found in a job file, with where it is and which key it is about.
///
/// Its description is the line a user sees, for example
/// `jobs/etl.yaml:14:12: tasks.load.retry.limit: must be 0 or more (got -1)`. Problems that belong
/// to no key (a YAML syntax error, a bad file name) leave `keyPath` empty and print without it.
public struct Diagnostic: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// The job file's path as it was given to the loader.
    public var path: String
    /// Line, counted from 1.
    public var line: Int
    /// Column, counted from 1 in Unicode scalars.
    public var column: Int
    /// Dotted path of the key at fault, such as `tasks.load.retry.limit` or `tasks.a.command[2]`.
    public var keyPath: String
    /// What is wrong and, where possible, how to fix it.
    public var message: String

    public init(path: String, line: Int, column: Int, keyPath: String, message: String) {
        self.path = path
        self.line = max(1, line)
        self.column = max(1, column)
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        keyPath.isEmpty
            ? "\(path):\(line):\(column): \(message)"
            : "\(path):\(line):\(column): \(keyPath): \(message)"
    }
}
