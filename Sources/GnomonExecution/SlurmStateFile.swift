import Glibc

/// `LOG.slurm`, beside a Slurm attempt's log: the job's id, node and state as the daemon last
/// saw them, one line `ID<TAB>NODE<TAB>STATE`, rewritten (then renamed) at each change. `gnomon
/// show` and the API read it; it goes with the log.
public enum SlurmStateFile {
    /// What the file says.
    public struct Saved: Sendable, Hashable {
        public var job: String
        /// Empty while the job has no node (pending).
        public var node: String
        /// `PENDING (Priority)`, `RUNNING on node1`, `COMPLETED on node1`, ...
        public var state: String
    }

    public static func path(logPath: String) -> String { logPath + ".slurm" }

    /// Records the job's id, node and state.
    static func write(_ report: SlurmJobReport, logPath: String) {
        let path = path(logPath: logPath)
        let descriptor = open(path + ".tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { return }
        let node = report.node == "(null)" ? "" : report.node
        DescriptorText.write("\(report.id)\t\(node)\t\(report.summary)\n", to: descriptor)
        close(descriptor)
        rename(path + ".tmp", path)
    }

    /// What the daemon last wrote for the attempt whose log is `logPath`; nil without the file.
    public static func read(logPath: String) -> Saved? {
        let text = ContainerExecutor.tail(of: path(logPath: logPath), bytes: 4096)
        let fields = text.split(separator: "\n").first?.split(separator: "\t", omittingEmptySubsequences: false) ?? []
        guard fields.count == 3 else { return nil }
        return Saved(job: String(fields[0]), node: String(fields[1]), state: String(fields[2]))
    }
}
