/// Where a foreach task's list comes from: written in the job file, or an upstream output that
/// holds a JSON array, read when the task becomes ready.
public enum ForeachSource: Sendable, Hashable, Codable {
    /// A literal list of scalars, each as its text.
    case items([String])
    /// `${{ tasks.TASK.outputs.KEY }}`: a JSON array of scalars written by an upstream task.
    case output(task: String, key: String)

    /// The most items a foreach list may have unless the task's `foreach_limit` says otherwise.
    /// Each item is a task instance with its own rows, attempts and log: ten thousand keeps one
    /// run's record, display and recovery quick.
    public static let defaultLimit = 10_000
    /// The highest `foreach_limit` a task may set.
    public static let maximumLimit = 100_000

    /// The name of instance `index` of the foreach task `task`, as logs and displays name it.
    public static func instanceName(_ task: String, _ index: Int) -> String { "\(task)[\(index)]" }

    /// The task and index an instance name holds (`chunk[3]` is `("chunk", 3)`); nil for a name
    /// that is not an instance's (task names cannot hold brackets).
    public static func parseInstance(_ name: String) -> (task: String, index: Int)? {
        guard name.hasSuffix("]"), let open = name.lastIndex(of: "[") else { return nil }
        let digits = name[name.index(after: open)..<name.index(before: name.endIndex)]
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let index = Int(digits),
              open > name.startIndex else { return nil }
        return (String(name[..<open]), index)
    }
}
