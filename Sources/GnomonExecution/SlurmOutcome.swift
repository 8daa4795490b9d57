import GnomonCore

/// The outcome of an attempt from the state its Slurm job ended in (when Gnomon did not stop it).
///
/// - COMPLETED and FAILED: the task's exit code as the wrapper wrote it (an exit status above
///   128 is the signal 128 less, as a shell reports it), else Slurm's `code:signal`;
/// - TIMEOUT and DEADLINE: timed out; OUT_OF_MEMORY: out of memory;
/// - NODE_FAIL, BOOT_FAIL, PREEMPTED (and anything else): lost, retried without using a retry;
/// - CANCELLED by someone other than Gnomon: a failure, as signal 15 (the log says who).
enum SlurmOutcome {
    static func outcome(of report: SlurmJobReport, wrapperExit: Int32?) -> AttemptOutcome {
        switch report.baseState {
        case "COMPLETED", "FAILED", "SPECIAL_EXIT":
            if let code = wrapperExit { return fromShellStatus(code) }
            if let (code, signal) = parse(report.exitCode) {
                return signal > 0 ? .signalled(signal: signal) : .exited(code: code)
            }
            return report.baseState == "COMPLETED" ? .exited(code: 0) : .lost
        case "TIMEOUT", "DEADLINE":
            return .timedOut
        case "OUT_OF_MEMORY":
            return .outOfMemory
        case "CANCELLED":
            return .signalled(signal: 15)
        default:
            return .lost
        }
    }

    /// A shell's `$?`: above 128 (and up to 128 + 64) is a signal.
    static func fromShellStatus(_ code: Int32) -> AttemptOutcome {
        code > 128 && code <= 128 + 64 ? .signalled(signal: code - 128) : .exited(code: code)
    }

    /// Slurm's `3:0` as (3, 0).
    static func parse(_ text: String?) -> (Int32, Int32)? {
        guard let parts = text?.split(separator: ":"), parts.count == 2,
              let code = Int32(parts[0]), let signal = Int32(parts[1]) else { return nil }
        return (code, signal)
    }

    /// What the attempt's log says about an end Gnomon did not cause, if anything.
    static func note(for report: SlurmJobReport, job: String) -> String? {
        switch report.baseState {
        case "NODE_FAIL", "BOOT_FAIL", "PREEMPTED":
            return "Slurm job \(job) ended \(report.state) on \(report.node): the attempt is lost and is tried again without using a retry"
        case "CANCELLED":
            return "Slurm job \(job) was \(report.state) outside Gnomon (scancel by a user or an administrator); recorded as failed with signal 15"
        case "TIMEOUT", "DEADLINE":
            return "Slurm job \(job) reached Slurm's own time limit (\(report.state))"
        case "OUT_OF_MEMORY":
            return "Slurm job \(job) was killed for using more memory than it asked for (OUT_OF_MEMORY)"
        case "COMPLETED", "FAILED", "SPECIAL_EXIT":
            return nil
        default:
            return "Slurm job \(job) ended \(report.state): the attempt is lost and is tried again without using a retry"
        }
    }
}
